import { anyOf, defineFamily, fact, RuleSpec } from './define';
import { SECRET_DETECTORS } from '../facts/detectors';

/** Credentials, personal data and markup: no write may carry them, a turn-off included (all integrity rules). */
type Detector = readonly [id: string, what: string, pattern: string, ignoreCase?: boolean];

/** Shared mailboxes a value may show (a support address on a help page); any other address is a person's. */
export const ROLE_MAILBOXES = [
  'support',
  'help',
  'info',
  'contact',
  'hello',
  'sales',
  'billing',
  'security',
  'privacy',
  'abuse',
  'press',
  'careers',
  'jobs',
  'noreply',
  'no-reply',
  'postmaster',
  'webmaster',
];

/** Personal data: flags are configuration, not a data store, and are copied to every region. */
const PERSONAL_DATA: readonly Detector[] = [
  // An address starts where no address character precedes it, so a long word is read once (linear time);
  // role mailboxes (support@, noreply@…) are how a product shows a contact, not a person's data.
  [
    'FFC-SEC-039',
    'a personal email address',
    `(?<![A-Za-z0-9._%+-])(?!(${ROLE_MAILBOXES.join('|')})@)[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}`,
    true,
  ],
  ['FFC-SEC-041', 'a US social security number', '\\b[0-9]{3}-[0-9]{2}-[0-9]{4}\\b'],
  ['FFC-SEC-043', 'a phone number', '\\+[1-9][0-9]{9,14}\\b'],
  ['FFC-SEC-044', 'a UK national insurance number', '\\b[A-CEGHJ-PR-TW-Z]{2}[0-9]{6}[A-D]\\b'],
  [
    'FFC-SEC-045',
    'a personal-data field (date of birth, SSN, passport)',
    '(^|\\n)(dob|date_?of_?birth|birth_?date|ssn|passport(_?number)?|national_?id)\\n',
    true,
  ],
];

/** A personal-data detector as a rule of its own: each says what to remove and how to target instead. */
const personalData = (wanted: string, why: string): RuleSpec => {
  const [id, what, pattern, ignoreCase] = PERSONAL_DATA.find(([candidate]) => candidate === wanted)!;
  return {
    id,
    why,
    description: `The value contains no personal data: ${what}.`,
    message: `the value looks like it contains ${what}: remove the personal data and target by an opaque id instead`,
    path: 'value',
    when: fact('valueText', ignoreCase ? 'matchesIgnoringCase' : 'matches', pattern),
  };
};

const EMAIL_IN_TEXT = '[A-Za-z0-9._%+-]@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}';
const EMAIL_ADDRESS = '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}';

/** Every rule here is an integrity rule: no write may carry a credential or personal data, a turn-off included. */
const integrity = (rules: RuleSpec[]): RuleSpec[] => rules.map((rule) => ({ ...rule, integrity: true }));

export const securityRules = defineFamily(
  'security',
  integrity([
    {
      id: 'FFC-SEC-001',
      why: 'A credential in a flag is copied to 12 regions, 156 caches and every log line: it is leaked.',
      description: `The value (and off value) carries no credential: ${SECRET_DETECTORS.length} detectors after gitleaks' rules (AWS, GitHub, Slack, Stripe, private keys, JWTs, URLs with passwords…, listed below); the violation names each one that matched.`,
      message:
        'the value looks like it contains {valueSecrets}: remove it, rotate the credential, and reference a secret store instead',
      path: 'value',
      when: anyOf('valueSecretCount'),
    },
    personalData(
      'FFC-SEC-039',
      'A personal address in configuration is personal data outside any data-protection process.',
    ),
    {
      id: 'FFC-SEC-040',
      why: 'Card numbers in configuration put every cache and log in PCI DSS scope.',
      description: 'The value contains no payment card number (13-19 digits that pass the Luhn check).',
      message:
        'the value holds {valueCardNumbers} number(s) that pass the Luhn check of a payment card: remove the card data',
      path: 'value',
      when: anyOf('valueCardNumbers'),
    },
    personalData('FFC-SEC-041', 'Social security numbers are regulated personal data; flags are copied everywhere.'),
    {
      id: 'FFC-SEC-042',
      why: 'Bank accounts are personal data; flags are not a data store.',
      description: 'The value contains no IBAN (country, check digits and account that pass the mod-97 check).',
      message: 'the value holds {valueIbans} IBAN(s) that pass the mod-97 check: remove the bank account data',
      path: 'value',
      when: anyOf('valueIbans'),
    },
    personalData('FFC-SEC-043', 'Phone numbers are personal data; flags are copied to every region.'),
    personalData('FFC-SEC-044', 'National insurance numbers are regulated personal data.'),
    personalData('FFC-SEC-045', 'Fields named like a birth date or passport hold personal data by intent.'),
    {
      id: 'FFC-SEC-046',
      why: 'IP addresses are personal data under GDPR, or leak internal topology.',
      severity: 'warning',
      description: 'The value contains no IPv4 addresses (personal data under GDPR, or internal topology).',
      message: 'the value contains an IPv4 address: use a hostname from service discovery instead',
      path: 'value',
      when: fact(
        'valueText',
        'matches',
        '\\b(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}\\b',
      ),
    },
    {
      id: 'FFC-SEC-047',
      why: 'Descriptions and reasons are logged and audited for years: a credential there is leaked.',
      description: 'Description, reason and ticket contain no credentials (they are logged and audited).',
      message: 'description or reason looks like it contains a credential: remove it and rotate the credential',
      path: 'description',
      when: fact(
        'metadataText',
        'matches',
        '\\b(AKIA|ASIA)[A-Z0-9]{16}\\b|-----BEGIN [A-Z ]*PRIVATE KEY|\\bgh[pousr]_[A-Za-z0-9]{36}|\\bxox[baprs]-|\\b[sr]k_live_',
      ),
    },
    {
      id: 'FFC-SEC-048',
      why: 'Audit trails should name teams and tickets, not people outside the identity fields.',
      severity: 'warning',
      description: 'Description and reason name teams and tickets, not personal email addresses.',
      message: 'description or reason contains an email address: refer to the team or ticket instead',
      path: 'reason',
      when: fact('metadataText', 'matches', EMAIL_IN_TEXT),
    },
    {
      id: 'FFC-SEC-049',
      why: 'Targeting by email copies personal data to every region and cache.',
      description: 'Targeting never lists email addresses: they would be copied to every region and cache.',
      message: 'targeting values contain email addresses: target by userId or a segment instead',
      path: 'targeting',
      when: fact('targetingValueStrings', 'someMatch', `^${EMAIL_ADDRESS}$`),
    },
    {
      id: 'FFC-SEC-050',
      why: 'Targeting by phone number copies personal data to every region and cache.',
      description: 'Targeting never lists phone numbers.',
      message: 'targeting values contain phone numbers: target by userId or a segment instead',
      path: 'targeting',
      // International (+49 151 1234567) or written with separators ((555) 123-4567): a bare number is an id.
      when: fact(
        'targetingValueStrings',
        'someMatch',
        '^(\\+[1-9][0-9 ().-]{6,}[0-9]|\\(?[0-9]{3}\\)?[ .-][0-9]{3}[ .-][0-9]{4})$',
      ),
    },
    {
      id: 'FFC-SEC-051',
      why: 'Flag strings are rendered into pages; a script tag there is stored cross-site scripting.',
      description: 'Values contain no script tags: flag strings are rendered into web pages.',
      message: 'the value contains a <script> tag: flags carry configuration, not markup',
      path: 'value',
      when: fact('valueText', 'matchesIgnoringCase', '<script\\b'),
    },
    {
      id: 'FFC-SEC-052',
      why: "A javascript: link rendered from a flag runs code in the user's browser.",
      description: 'Values contain no javascript: URLs (a cross-site scripting vector when rendered as links).',
      message: 'the value contains a javascript: URL: use an https URL',
      path: 'value',
      when: fact('valueText', 'matchesIgnoringCase', 'javascript:'),
    },
    {
      id: 'FFC-SEC-053',
      why: 'Targeting values are copied like the value: a token listed there is leaked just the same.',
      description:
        "Targeting values carry no credential (FFC-SEC-001's detectors): they are copied to every region and cache like the value.",
      message: 'targeting values look like they contain {targetingSecrets}: remove them and rotate the credential',
      path: 'targeting',
      when: anyOf('targetingSecretCount'),
    },
    {
      id: 'FFC-SEC-054',
      why: 'Plain http lets anyone on the path read or change what the flag points at.',
      severity: 'warning',
      description:
        'URLs in values use https: a flag that points services or browsers at plain http invites interception (localhost excepted).',
      message: 'the value contains an http:// URL: use https',
      path: 'value',
      when: fact('valueText', 'matchesIgnoringCase', '\\bhttp://(?!(localhost|127\\.0\\.0\\.1)([:/]|$))[^\\s/]'),
    },
  ]),
);
