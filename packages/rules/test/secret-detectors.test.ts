import { seededRandom } from './support/generate';
import { Scenario, scenario, validate } from './support/scenario';
import { SECRET_DETECTORS, detectSecrets } from '../src/facts/detectors';
import { RETIRED_RULES } from '../src/rules/retired';

/** A json value carrying `text` under `key`, so only the detector under test can fire. */
const leak = (text: string, key = 'note') => {
  const s: Scenario = scenario();
  s.change.type = 'json';
  s.change.value = { [key]: text };
  s.context.current = { ...s.context.current!, type: 'json', value: s.change.value };
  s.change.rollout = undefined;
  return s;
};
const hex = (n: number) => 'a1b2c3d4e5f6'.repeat(10).slice(0, n);
const alnum = (n: number) => 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z'.repeat(10).slice(0, n);

/** [detector, a value it finds, a near miss it must not find ([text, key])]: what were 34 rules of their own. */
const CASES: readonly (readonly [string, [string, string?], [string, string?]])[] = [
  ['aws-access-key-id', ['AKIAIOSFODNN7EXAMPLE'], ['AKIA-not-a-key']],
  [
    'aws-secret-access-key',
    ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'awsSecretAccessKey'],
    ['rotated', 'awsSecretAccessKey'],
  ],
  ['private-key', ['-----BEGIN RSA PRIVATE KEY-----\nMIIE'], ['-----BEGIN PUBLIC KEY-----']],
  ['github-token', [`ghp_${alnum(36)}`], ['ghp_short']],
  ['gitlab-token', [`glpat-${alnum(20)}`], [`glpat-${alnum(12)}`]],
  ['slack-token', ['xoxb-123456789012-abcdefghij'], ['xoxb-123']],
  ['stripe-live-key', [`sk_live_${alnum(24)}`], [`sk_test_${alnum(24)}`]],
  ['google-api-key', [`AIza${alnum(35)}`], [`AIza${alnum(20)}`]],
  ['gcp-service-account-key', ['0123456789abcdef', 'private_key_id'], ['0123456789abcdef', 'key_id']],
  ['jwt', [`eyJ${alnum(20)}.eyJ${alnum(20)}.${alnum(20)}`], [`eyJ${alnum(20)}`]],
  ['secret-field', ['hunter2', 'password'], ['hunter2', 'passwordHint']],
  ['url-credentials', ['postgres://app:s3cret@db.internal:5432/app'], ['postgres://db.internal:5432/app']],
  ['twilio-api-key', [`SK${hex(32)}`], [`SK${hex(20)}`]],
  ['sendgrid-api-key', [`SG.${alnum(22)}.${alnum(43)}`], [`SG.${alnum(22)}`]],
  ['npm-token', [`npm_${alnum(36)}`], ['npm_install']],
  ['pypi-token', [`pypi-AgEIcHlwaS5vcmc${alnum(60)}`], ['pypi-package-name']],
  ['openai-api-key', [`sk-${alnum(48)}`], ['sk-small']],
  ['anthropic-api-key', [`sk-ant-api03-${alnum(30)}`], ['sk-ant-short']],
  ['vault-token', [`hvs.${alnum(30)}`], ['hvs.short']],
  ['digitalocean-token', [`dop_v1_${'ab12'.repeat(16)}`], [`dop_v1_${'ab12'.repeat(4)}`]],
  ['shopify-token', [`shpat_${hex(32)}`], [`shpat_${hex(16)}`]],
  ['azure-storage-key', [`DefaultEndpointsProtocol=https;AccountName=x;AccountKey=${alnum(44)}==`], ['AccountKey=']],
  ['azure-sas', [`https://x.blob.core.windows.net/c?sv=2020&sig=${alnum(40)}`], ['https://x.example/?sig=abc']],
  ['mailgun-api-key', [`key-${'0123456789abcdef'.repeat(2)}`], ['key-lime-pie']],
  ['square-token', [`sq0atp-${alnum(22)}`], ['sq0atp-short']],
  ['datadog-api-key', [hex(32), 'datadogApiKey'], [hex(32), 'buildHash']],
  [
    'heroku-api-key',
    ['01234567-89ab-cdef-0123-456789abcdef', 'herokuApiKey'],
    ['01234567-89ab-cdef-0123-456789abcdef', 'requestId'],
  ],
  ['discord-webhook', ['https://discord.com/api/webhooks/123456/abcDEF_123'], ['https://discord.com/channels/1']],
  ['http-authorization', ['Basic dXNlcjpwYXNzd29yZDEyMzQ='], ['Basic plan']],
  ['databricks-token', [`dapi${hex(32)}`], ['dapi-docs']],
  ['atlassian-api-token', [`ATATT3${alnum(60)}`], ['ATATT3short']],
  ['postman-api-key', [`PMAK-${hex(24)}-${hex(34)}`], [`PMAK-${hex(24)}`]],
  ['telegram-bot-token', [`123456789:AA${alnum(33)}`], ['123456789:AAshort']],
  ['facebook-access-token', [`EAA${alnum(80)}`], ['EAA-games']],
  // Variants that were rules of their own before the earlier merge (FFC-SEC-005, -008, -032, -033).
  ['github-token', [`github_pat_${'Ab3dEf6hIj'.repeat(3)}`], ['github_pat_']],
  ['slack-token', ['https://hooks.slack.com/services/T0001/B0002/abcdEFGH1234'], ['https://hooks.slack.com/']],
  ['http-authorization', [`Bearer ${'Ab3dEf6hIj'.repeat(3)}`], ['Bearer of good news']],
  ['private-key', ['-----BEGIN PGP PRIVATE KEY BLOCK-----'], ['-----BEGIN PGP PUBLIC KEY BLOCK-----']],
];

const secretViolation = (s: Scenario) => validate(s).violations.find((v) => v.ruleId === 'FFC-SEC-001');

describe('FFC-SEC-001: one rule, 34 credential detectors', () => {
  test('every detector has a case, and the table names each detector once', () => {
    const names = SECRET_DETECTORS.map((d) => d.detector);
    expect(new Set(names).size).toBe(names.length);
    expect([...new Set(CASES.map(([name]) => name))].sort()).toEqual([...names].sort());
  });

  describe.each(CASES)('%s', (detector, [found, key], [nearMiss, nearKey]) => {
    test('is found, and the violation says which detector matched', () => {
      const violation = secretViolation(leak(found, key));
      expect(violation?.message).toContain(`(${detector})`);
      expect(violation?.message).toMatch(/rotate the credential/);
    });
    test('a near miss is not', () => {
      expect(secretViolation(leak(nearMiss, nearKey))).toBeUndefined();
    });
  });

  test('a value with two credentials names both', () => {
    const violation = secretViolation(leak(`AKIAIOSFODNN7EXAMPLE and npm_${alnum(36)}`));
    expect(violation?.message).toContain('(aws-access-key-id)');
    expect(violation?.message).toContain('(npm-token)');
  });

  // The joined guard must find exactly what the detectors find one by one (the speed trick may not hide one).
  test('the joined-regex guard agrees with every detector run alone, on 5,000 texts', () => {
    const random = seededRandom(11);
    const pieces = [...CASES.flatMap(([, [a], [b]]) => [a, b]), 'blue', 'checkout', ' ', '\n', 'password\n', 'x'];
    const alone = SECRET_DETECTORS.map((d) => new RegExp(d.pattern, d.ignoreCase ? 'i' : ''));
    const disagreements: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
        const piece = pieces[Math.floor(random() * pieces.length)];
        const cut = Math.floor(random() * (piece.length + 1));
        return random() < 0.3 ? piece.slice(0, cut) : piece;
      }).join(random() < 0.5 ? '\n' : ' ');
      const expected = SECRET_DETECTORS.filter((_, j) => alone[j].test(text)).map((d) => d.detector);
      const found = detectSecrets(text).map((f) => f.replace(/^.*\((.*)\)$/, '$1'));
      if (found.join() !== expected.join()) disagreements.push(text);
    }
    expect(disagreements).toEqual([]);
  });

  test("each detector's former rule ID is retired and points at FFC-SEC-001, so old audit events resolve", () => {
    for (const { formerRuleId, detector } of SECRET_DETECTORS.filter((d) => d.formerRuleId !== 'FFC-SEC-001')) {
      expect(RETIRED_RULES[formerRuleId]).toBe(`FFC-SEC-001 (detector ${detector})`);
    }
  });
});
