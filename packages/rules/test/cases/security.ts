import { RuleCases, Scenario } from '../support/scenario';

/** A json value carrying `text` under an innocuous key, so only the detector under test can fire. */
const leak =
  (text: string, key = 'note') =>
  (s: Scenario) => {
    s.change.type = 'json';
    s.change.value = { [key]: text };
    s.context.current = { ...s.context.current!, type: 'json', value: s.change.value };
    s.change.rollout = undefined;
  };
const targetingValue = (attribute: string, value: string) => (s: Scenario) => {
  s.change.targeting = [{ attribute, operator: 'in', values: [value] }];
};
const hex = (n: number) => 'a1b2c3d4e5f6'.repeat(10).slice(0, n);
const alnum = (n: number) => 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z'.repeat(10).slice(0, n);

export const securityCases: RuleCases = {
  'FFC-SEC-001': { fail: leak('AKIAIOSFODNN7EXAMPLE'), pass: leak('AKIA-not-a-key') },
  'FFC-SEC-002': {
    fail: leak('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'awsSecretAccessKey'),
    pass: leak('rotated', 'awsSecretAccessKey'),
  },
  'FFC-SEC-003': { fail: leak('-----BEGIN RSA PRIVATE KEY-----\nMIIE'), pass: leak('-----BEGIN PUBLIC KEY-----') },
  'FFC-SEC-004': { fail: leak(`ghp_${alnum(36)}`), pass: leak('ghp_short') },
  'FFC-SEC-006': { fail: leak(`glpat-${alnum(20)}`) },
  'FFC-SEC-007': { fail: leak('xoxb-123456789012-abcdefghij') },
  'FFC-SEC-009': { fail: leak(`sk_live_${alnum(24)}`), pass: leak(`sk_test_${alnum(24)}`) },
  'FFC-SEC-010': { fail: leak(`AIza${alnum(35)}`) },
  'FFC-SEC-011': { fail: leak('0123456789abcdef', 'private_key_id') },
  'FFC-SEC-012': { fail: leak(`eyJ${alnum(20)}.eyJ${alnum(20)}.${alnum(20)}`) },
  'FFC-SEC-013': { fail: leak('hunter2', 'password'), pass: leak('hunter2', 'passwordHint') },
  'FFC-SEC-014': {
    fail: leak('postgres://app:s3cret@db.internal:5432/app'),
    pass: leak('postgres://db.internal:5432/app'),
  },
  'FFC-SEC-015': { fail: leak(`SK${hex(32)}`) },
  'FFC-SEC-016': { fail: leak(`SG.${alnum(22)}.${alnum(43)}`) },
  'FFC-SEC-017': { fail: leak(`npm_${alnum(36)}`) },
  'FFC-SEC-018': { fail: leak(`pypi-AgEIcHlwaS5vcmc${alnum(60)}`) },
  'FFC-SEC-019': { fail: leak(`sk-${alnum(48)}`), pass: leak('sk-small') },
  'FFC-SEC-020': { fail: leak(`sk-ant-api03-${alnum(30)}`) },
  'FFC-SEC-021': { fail: leak(`hvs.${alnum(30)}`) },
  'FFC-SEC-022': { fail: leak(`dop_v1_${'ab12'.repeat(16)}`) },
  'FFC-SEC-023': { fail: leak(`shpat_${hex(32)}`) },
  'FFC-SEC-024': { fail: leak(`DefaultEndpointsProtocol=https;AccountName=x;AccountKey=${alnum(44)}==`) },
  'FFC-SEC-025': { fail: leak(`https://x.blob.core.windows.net/c?sv=2020&sig=${alnum(40)}`) },
  'FFC-SEC-026': { fail: leak(`key-${'0123456789abcdef'.repeat(2)}`) },
  'FFC-SEC-027': { fail: leak(`sq0atp-${alnum(22)}`) },
  'FFC-SEC-028': { fail: leak(hex(32), 'datadogApiKey'), pass: leak(hex(32), 'buildHash') },
  'FFC-SEC-029': {
    fail: leak('01234567-89ab-cdef-0123-456789abcdef', 'herokuApiKey'),
    pass: leak('01234567-89ab-cdef-0123-456789abcdef', 'requestId'),
  },
  'FFC-SEC-030': { fail: leak('https://discord.com/api/webhooks/123456/abcDEF_123') },
  'FFC-SEC-031': { fail: leak('Basic dXNlcjpwYXNzd29yZDEyMzQ=') },
  'FFC-SEC-034': { fail: leak(`dapi${hex(32)}`) },
  'FFC-SEC-035': { fail: leak(`ATATT3${alnum(60)}`) },
  'FFC-SEC-036': { fail: leak(`PMAK-${hex(24)}-${hex(34)}`) },
  'FFC-SEC-037': { fail: leak(`123456789:AA${alnum(33)}`) },
  'FFC-SEC-038': { fail: leak(`EAA${alnum(80)}`) },
  'FFC-SEC-039': { fail: leak('Write to jane.doe@example.com'), pass: leak('Write to support@acme.com') },
  // The Visa test number passes the Luhn check; the same digits with another last one do not.
  'FFC-SEC-040': { fail: leak('4111 1111 1111 1111'), pass: leak('order 4111 1111 1111 1112') },
  'FFC-SEC-041': { fail: leak('078-05-1120'), pass: leak('2025-03-04') },
  // The IBAN of ISO 13616's example (also printed in groups of four); one digit off fails mod-97.
  'FFC-SEC-042': { fail: leak('IBAN DE89 3704 0044 0532 0130 00'), pass: leak('DE89370400440532013001') },
  'FFC-SEC-043': { fail: leak('+4915112345678'), pass: leak('+49') },
  'FFC-SEC-044': { fail: leak('AB123456C'), pass: leak('QQ123456C') },
  'FFC-SEC-045': { fail: leak('1990-01-01', 'dateOfBirth'), pass: leak('1990-01-01', 'releaseDate') },
  'FFC-SEC-046': { fail: leak('10.0.12.7'), pass: leak('v1.2.3') },
  'FFC-SEC-047': {
    fail: (s) => {
      s.change.reason = 'Use key AKIAIOSFODNN7EXAMPLE for the new bucket';
    },
  },
  'FFC-SEC-048': {
    fail: (s) => {
      s.change.reason = 'Requested by jane.doe@example.com for the launch';
    },
  },
  'FFC-SEC-049': { fail: targetingValue('userId', 'jane.doe@example.com'), pass: targetingValue('userId', 'u-123') },
  'FFC-SEC-050': { fail: targetingValue('userId', '+49 151 1234567'), pass: targetingValue('userId', '4915112345') },
  'FFC-SEC-051': { fail: leak('<script>alert(1)</script>'), pass: leak('<b>bold</b>') },
  'FFC-SEC-052': { fail: leak('javascript:alert(1)'), pass: leak('https://example.com') },
};
