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
const alnum = (n: number) => 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z'.repeat(10).slice(0, n);

export const securityCases: RuleCases = {
  // Every detector's own cases are the table in test/secret-detectors.test.ts.
  'FFC-SEC-001': { fail: leak('AKIAIOSFODNN7EXAMPLE'), pass: leak('AKIA-not-a-key') },
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
    pass: (s) => {
      s.change.reason = 'Use the key from the secret store (AWS_KEY_ID) for the new bucket';
    },
  },
  'FFC-SEC-048': {
    fail: (s) => {
      s.change.reason = 'Requested by jane.doe@example.com for the launch';
    },
    pass: (s) => {
      s.change.reason = 'Requested by the checkout team (CHK-1234) for the launch';
    },
  },
  'FFC-SEC-049': { fail: targetingValue('userId', 'jane.doe@example.com'), pass: targetingValue('userId', 'u-123') },
  'FFC-SEC-050': { fail: targetingValue('userId', '+49 151 1234567'), pass: targetingValue('userId', '4915112345') },
  'FFC-SEC-051': { fail: leak('<script>alert(1)</script>'), pass: leak('<b>bold</b>') },
  'FFC-SEC-052': { fail: leak('javascript:alert(1)'), pass: leak('https://example.com') },
  'FFC-SEC-053': {
    fail: targetingValue('accountId', `ghp_${alnum(36)}`),
    pass: targetingValue('accountId', 'acc-ghp-1234'),
  },
  'FFC-SEC-054': {
    fail: leak('http://cdn.example.com/banner.png'),
    pass: leak('https://cdn.example.com/banner.png and http://localhost:8080/dev'),
  },
};
