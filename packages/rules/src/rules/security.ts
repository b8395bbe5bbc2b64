import { anyOf, defineFamily, fact, RuleSpec } from './define';
import { FactName } from '../engine/rule-types';

/**
 * [rule number, what it finds, regex, case-insensitive]; detectors follow gitleaks' well-known rules. One rule
 * per kind of credential: FFC-SEC-005, -008, -032 and -033 were variants of -004, -007, -031 and -003 and are
 * retired, never reused.
 */
type Detector = readonly [number, string, string, boolean?];

/** Credentials: a flag value is replicated to 12 regions, 156 caches and every log line that prints it. */
const SECRETS: readonly Detector[] = [
  [1, 'an AWS access key id', '\\b(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\\b'],
  [2, 'an AWS secret access key', 'aws[\\s\\S]{0,30}secret[\\s\\S]{0,30}[A-Za-z0-9/+=]{40}', true],
  [3, 'a private key', '-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY( BLOCK)?-----'],
  [4, 'a GitHub token', '\\bgh[pousr]_[A-Za-z0-9]{36}\\b|\\bgithub_pat_[A-Za-z0-9_]{22,}'],
  [6, 'a GitLab token', '\\bglpat-[A-Za-z0-9_-]{20}'],
  [
    7,
    'a Slack token or webhook URL',
    '\\bxox[baprs]-[A-Za-z0-9-]{10,}|hooks\\.slack\\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+',
  ],
  [9, 'a Stripe live key', '\\b[sr]k_live_[A-Za-z0-9]{20,}'],
  [10, 'a Google API key', '\\bAIza[0-9A-Za-z_-]{35}'],
  [11, 'a Google service-account key', '\\bprivate_key_id\\b'],
  [12, 'a JSON Web Token', '\\beyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}'],
  [
    13,
    'a password or secret field',
    '(^|\\n)(password|passwd|pwd|secret|client_?secret|api_?key|access_?token|auth_?token|private_?key)\\n[^\\n]',
    true,
  ],
  // A scheme is at most 32 characters: unbounded, every word of a long dotted text was re-read to its end.
  [14, 'credentials inside a URL', '\\b[a-z][a-z0-9+.-]{0,31}://[^/\\s:@]+:[^/\\s@]+@'],
  [15, 'a Twilio API key', '\\bSK[0-9a-fA-F]{32}\\b'],
  [16, 'a SendGrid API key', '\\bSG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}'],
  [17, 'an npm token', '\\bnpm_[A-Za-z0-9]{36}\\b'],
  [18, 'a PyPI token', '\\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}'],
  [19, 'an OpenAI API key', '\\bsk-(proj-)?[A-Za-z0-9]{40,}'],
  [20, 'an Anthropic API key', '\\bsk-ant-[A-Za-z0-9_-]{20,}'],
  [21, 'a HashiCorp Vault token', '\\bhv[sb]\\.[A-Za-z0-9_-]{24,}'],
  [22, 'a DigitalOcean token', '\\bdo[por]_v1_[a-f0-9]{64}'],
  [23, 'a Shopify token', '\\bshp(at|ca|pa|ss)_[a-fA-F0-9]{32}'],
  [24, 'an Azure storage account key', 'AccountKey=[A-Za-z0-9+/=]{40,}'],
  [25, 'an Azure shared access signature', '[?&]sig=[A-Za-z0-9%+/=]{30,}'],
  [26, 'a Mailgun API key', '\\bkey-[0-9a-f]{32}\\b'],
  [27, 'a Square access token', '\\bsq0(atp|csp)-[0-9A-Za-z_-]{22,}'],
  [28, 'a Datadog API key', '(datadog|\\bdd)[\\s\\S]{0,20}\\b[a-f0-9]{32}\\b', true],
  [
    29,
    'a Heroku API key',
    'heroku[\\s\\S]{0,20}\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b',
    true,
  ],
  [30, 'a Discord webhook URL', 'discord(app)?\\.com/api/webhooks/[0-9]+/[A-Za-z0-9_-]+'],
  [
    31,
    'an HTTP Authorization credential (Basic or Bearer)',
    '\\bBasic [A-Za-z0-9+/]{16,}={0,2}|\\bBearer [A-Za-z0-9._~+/-]{20,}=*',
  ],
  [34, 'a Databricks token', '\\bdapi[a-f0-9]{32}\\b'],
  [35, 'an Atlassian API token', '\\bATATT3[A-Za-z0-9_=-]{50,}'],
  [36, 'a Postman API key', '\\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}\\b'],
  [37, 'a Telegram bot token', '\\b[0-9]{8,10}:AA[A-Za-z0-9_-]{33}\\b'],
  [38, 'a Facebook access token', '\\bEAA[A-Za-z0-9]{60,}'],
];

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
    39,
    'a personal email address',
    `(?<![A-Za-z0-9._%+-])(?!(${ROLE_MAILBOXES.join('|')})@)[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}`,
    true,
  ],
  [41, 'a US social security number', '\\b[0-9]{3}-[0-9]{2}-[0-9]{4}\\b'],
  [43, 'a phone number', '\\+[1-9][0-9]{9,14}\\b'],
  [44, 'a UK national insurance number', '\\b[A-CEGHJ-PR-TW-Z]{2}[0-9]{6}[A-D]\\b'],
  [
    45,
    'a personal-data field (date of birth, SSN, passport)',
    '(^|\\n)(dob|date_?of_?birth|birth_?date|ssn|passport(_?number)?|national_?id)\\n',
    true,
  ],
];

const id = (n: number) => `FFC-SEC-${String(n).padStart(3, '0')}`;

const detectorRule =
  (what: 'secret' | 'personal data', factName: FactName, path: string, where: string) =>
  ([n, name, pattern, ignoreCase]: Detector): RuleSpec => ({
    id: id(n),
    description: `${capitalise(where)} contains no ${what}: ${name}.`,
    message:
      what === 'secret'
        ? `${where} looks like it contains ${name}: remove it, rotate the credential, and reference a secret store instead`
        : `${where} looks like it contains ${name}: remove the personal data and target by an opaque id instead`,
    path,
    when: fact(factName, ignoreCase ? 'matchesIgnoringCase' : 'matches', pattern),
  });

function capitalise(text: string): string {
  return text[0].toUpperCase() + text.slice(1);
}

const EMAIL_IN_TEXT = '[A-Za-z0-9._%+-]@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}';
const EMAIL_ADDRESS = '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}';

const [email, ...otherPersonalData] = PERSONAL_DATA.map(
  detectorRule('personal data', 'valueText', 'value', 'the value'),
);
const personalData = (n: number) => otherPersonalData.find((rule) => rule.id === id(n))!;

/** Every rule here is an integrity rule: no write may carry a credential or personal data, a turn-off included. */
const integrity = (rules: RuleSpec[]): RuleSpec[] => rules.map((rule) => ({ ...rule, integrity: true }));

export const securityRules = defineFamily(
  'security',
  integrity([
    ...SECRETS.map(detectorRule('secret', 'valueText', 'value', 'the value')),
    email,
    {
      id: id(40),
      description: 'The value contains no payment card number (13-19 digits that pass the Luhn check).',
      message:
        'the value holds {valueCardNumbers} number(s) that pass the Luhn check of a payment card: remove the card data',
      path: 'value',
      when: anyOf('valueCardNumbers'),
    },
    personalData(41),
    {
      id: id(42),
      description: 'The value contains no IBAN (country, check digits and account that pass the mod-97 check).',
      message: 'the value holds {valueIbans} IBAN(s) that pass the mod-97 check: remove the bank account data',
      path: 'value',
      when: anyOf('valueIbans'),
    },
    personalData(43),
    personalData(44),
    personalData(45),
    {
      id: id(46),
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
      id: id(47),
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
      id: id(48),
      severity: 'warning',
      description: 'Description and reason name teams and tickets, not personal email addresses.',
      message: 'description or reason contains an email address: refer to the team or ticket instead',
      path: 'reason',
      when: fact('metadataText', 'matches', EMAIL_IN_TEXT),
    },
    {
      id: id(49),
      description: 'Targeting never lists email addresses: they would be copied to every region and cache.',
      message: 'targeting values contain email addresses: target by userId or a segment instead',
      path: 'targeting',
      when: fact('targetingValueStrings', 'someMatch', `^${EMAIL_ADDRESS}$`),
    },
    {
      id: id(50),
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
      id: id(51),
      description: 'Values contain no script tags: flag strings are rendered into web pages.',
      message: 'the value contains a <script> tag: flags carry configuration, not markup',
      path: 'value',
      when: fact('valueText', 'matchesIgnoringCase', '<script\\b'),
    },
    {
      id: id(52),
      description: 'Values contain no javascript: URLs (a cross-site scripting vector when rendered as links).',
      message: 'the value contains a javascript: URL: use an https URL',
      path: 'value',
      when: fact('valueText', 'matchesIgnoringCase', 'javascript:'),
    },
  ]),
);
