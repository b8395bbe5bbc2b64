import { joinRegexTests } from '../engine/joined-regex';

/** One kind of credential FFC-SEC-001 finds; before that rule took them all, each was a rule of its own. */
export interface SecretDetector {
  /** A stable name, reported in the violation (after gitleaks' rule ids). */
  readonly detector: string;
  /** What it finds, as the violation's message says it. */
  readonly finds: string;
  readonly pattern: string;
  readonly ignoreCase?: boolean;
  /** The rule ID the detector had before (retired, never given to another rule), so old audit events still resolve. */
  readonly formerRuleId: string;
}

/**
 * Credentials, after gitleaks' well-known rules: a flag value is replicated to 12 regions, 156 caches and
 * every log line that prints it. FFC-SEC-005, -008, -032 and -033 were variants of -004, -007, -031, -003.
 */
export const SECRET_DETECTORS: readonly SecretDetector[] = [
  {
    formerRuleId: 'FFC-SEC-001',
    detector: 'aws-access-key-id',
    finds: 'an AWS access key id',
    pattern: '\\b(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\\b',
  },
  {
    formerRuleId: 'FFC-SEC-002',
    detector: 'aws-secret-access-key',
    finds: 'an AWS secret access key',
    pattern: 'aws[\\s\\S]{0,30}secret[\\s\\S]{0,30}[A-Za-z0-9/+=]{40}',
    ignoreCase: true,
  },
  {
    formerRuleId: 'FFC-SEC-003',
    detector: 'private-key',
    finds: 'a private key',
    pattern: '-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY( BLOCK)?-----',
  },
  {
    formerRuleId: 'FFC-SEC-004',
    detector: 'github-token',
    finds: 'a GitHub token',
    pattern: '\\bgh[pousr]_[A-Za-z0-9]{36}\\b|\\bgithub_pat_[A-Za-z0-9_]{22,}',
  },
  {
    formerRuleId: 'FFC-SEC-006',
    detector: 'gitlab-token',
    finds: 'a GitLab token',
    pattern: '\\bglpat-[A-Za-z0-9_-]{20}',
  },
  {
    formerRuleId: 'FFC-SEC-007',
    detector: 'slack-token',
    finds: 'a Slack token or webhook URL',
    pattern: '\\bxox[baprs]-[A-Za-z0-9-]{10,}|hooks\\.slack\\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+',
  },
  {
    formerRuleId: 'FFC-SEC-009',
    detector: 'stripe-live-key',
    finds: 'a Stripe live key',
    pattern: '\\b[sr]k_live_[A-Za-z0-9]{20,}',
  },
  {
    formerRuleId: 'FFC-SEC-010',
    detector: 'google-api-key',
    finds: 'a Google API key',
    pattern: '\\bAIza[0-9A-Za-z_-]{35}',
  },
  {
    formerRuleId: 'FFC-SEC-011',
    detector: 'gcp-service-account-key',
    finds: 'a Google service-account key',
    pattern: '\\bprivate_key_id\\b',
  },
  {
    formerRuleId: 'FFC-SEC-012',
    detector: 'jwt',
    finds: 'a JSON Web Token',
    pattern: '\\beyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}',
  },
  {
    formerRuleId: 'FFC-SEC-013',
    detector: 'secret-field',
    finds: 'a password or secret field',
    pattern:
      '(^|\\n)(password|passwd|pwd|secret|client_?secret|api_?key|access_?token|auth_?token|private_?key)\\n[^\\n]',
    ignoreCase: true,
  },
  // A scheme is at most 32 characters: unbounded, every word of a long dotted text was re-read to its end.
  {
    formerRuleId: 'FFC-SEC-014',
    detector: 'url-credentials',
    finds: 'credentials inside a URL',
    pattern: '\\b[a-z][a-z0-9+.-]{0,31}://[^/\\s:@]+:[^/\\s@]+@',
  },
  {
    formerRuleId: 'FFC-SEC-015',
    detector: 'twilio-api-key',
    finds: 'a Twilio API key',
    pattern: '\\bSK[0-9a-fA-F]{32}\\b',
  },
  {
    formerRuleId: 'FFC-SEC-016',
    detector: 'sendgrid-api-key',
    finds: 'a SendGrid API key',
    pattern: '\\bSG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}',
  },
  { formerRuleId: 'FFC-SEC-017', detector: 'npm-token', finds: 'an npm token', pattern: '\\bnpm_[A-Za-z0-9]{36}\\b' },
  {
    formerRuleId: 'FFC-SEC-018',
    detector: 'pypi-token',
    finds: 'a PyPI token',
    pattern: '\\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}',
  },
  {
    formerRuleId: 'FFC-SEC-019',
    detector: 'openai-api-key',
    finds: 'an OpenAI API key',
    pattern: '\\bsk-(proj-)?[A-Za-z0-9]{40,}',
  },
  {
    formerRuleId: 'FFC-SEC-020',
    detector: 'anthropic-api-key',
    finds: 'an Anthropic API key',
    pattern: '\\bsk-ant-[A-Za-z0-9_-]{20,}',
  },
  {
    formerRuleId: 'FFC-SEC-021',
    detector: 'vault-token',
    finds: 'a HashiCorp Vault token',
    pattern: '\\bhv[sb]\\.[A-Za-z0-9_-]{24,}',
  },
  {
    formerRuleId: 'FFC-SEC-022',
    detector: 'digitalocean-token',
    finds: 'a DigitalOcean token',
    pattern: '\\bdo[por]_v1_[a-f0-9]{64}',
  },
  {
    formerRuleId: 'FFC-SEC-023',
    detector: 'shopify-token',
    finds: 'a Shopify token',
    pattern: '\\bshp(at|ca|pa|ss)_[a-fA-F0-9]{32}',
  },
  {
    formerRuleId: 'FFC-SEC-024',
    detector: 'azure-storage-key',
    finds: 'an Azure storage account key',
    pattern: 'AccountKey=[A-Za-z0-9+/=]{40,}',
  },
  {
    formerRuleId: 'FFC-SEC-025',
    detector: 'azure-sas',
    finds: 'an Azure shared access signature',
    pattern: '[?&]sig=[A-Za-z0-9%+/=]{30,}',
  },
  {
    formerRuleId: 'FFC-SEC-026',
    detector: 'mailgun-api-key',
    finds: 'a Mailgun API key',
    pattern: '\\bkey-[0-9a-f]{32}\\b',
  },
  {
    formerRuleId: 'FFC-SEC-027',
    detector: 'square-token',
    finds: 'a Square access token',
    pattern: '\\bsq0(atp|csp)-[0-9A-Za-z_-]{22,}',
  },
  {
    formerRuleId: 'FFC-SEC-028',
    detector: 'datadog-api-key',
    finds: 'a Datadog API key',
    pattern: '(datadog|\\bdd)[\\s\\S]{0,20}\\b[a-f0-9]{32}\\b',
    ignoreCase: true,
  },
  {
    formerRuleId: 'FFC-SEC-029',
    detector: 'heroku-api-key',
    finds: 'a Heroku API key',
    pattern: 'heroku[\\s\\S]{0,20}\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b',
    ignoreCase: true,
  },
  {
    formerRuleId: 'FFC-SEC-030',
    detector: 'discord-webhook',
    finds: 'a Discord webhook URL',
    pattern: 'discord(app)?\\.com/api/webhooks/[0-9]+/[A-Za-z0-9_-]+',
  },
  {
    formerRuleId: 'FFC-SEC-031',
    detector: 'http-authorization',
    finds: 'an HTTP Authorization credential (Basic or Bearer)',
    pattern: '\\bBasic [A-Za-z0-9+/]{16,}={0,2}|\\bBearer [A-Za-z0-9._~+/-]{20,}=*',
  },
  {
    formerRuleId: 'FFC-SEC-034',
    detector: 'databricks-token',
    finds: 'a Databricks token',
    pattern: '\\bdapi[a-f0-9]{32}\\b',
  },
  {
    formerRuleId: 'FFC-SEC-035',
    detector: 'atlassian-api-token',
    finds: 'an Atlassian API token',
    pattern: '\\bATATT3[A-Za-z0-9_=-]{50,}',
  },
  {
    formerRuleId: 'FFC-SEC-036',
    detector: 'postman-api-key',
    finds: 'a Postman API key',
    pattern: '\\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}\\b',
  },
  {
    formerRuleId: 'FFC-SEC-037',
    detector: 'telegram-bot-token',
    finds: 'a Telegram bot token',
    pattern: '\\b[0-9]{8,10}:AA[A-Za-z0-9_-]{33}\\b',
  },
  {
    formerRuleId: 'FFC-SEC-038',
    detector: 'facebook-access-token',
    finds: 'a Facebook access token',
    pattern: '\\bEAA[A-Za-z0-9]{60,}',
  },
];

const NO_FINDINGS: readonly string[] = Object.freeze([]);
const detectorRegexes = SECRET_DETECTORS.map((d) => new RegExp(d.pattern, d.ignoreCase ? 'i' : ''));
// The speed trick: a text that no detector matches (nearly every value) costs two joined passes, not 34.
const anyDetector = joinRegexTests(
  SECRET_DETECTORS.map((d) => ({ pattern: d.pattern, flags: d.ignoreCase ? 'i' : '' })),
);

/** What each detector that matches `text` finds, as "an npm token (npm-token)"; empty for a clean text. */
export function detectSecrets(text: string): readonly string[] {
  if (text === '' || !anyDetector.some((regex) => regex.test(text))) return NO_FINDINGS;
  const found: string[] = [];
  for (let i = 0; i < SECRET_DETECTORS.length; i++) {
    if (detectorRegexes[i].test(text)) found.push(`${SECRET_DETECTORS[i].finds} (${SECRET_DETECTORS[i].detector})`);
  }
  return found;
}

/**
 * Personal-data detectors that a regex alone gets wrong: a candidate is only reported when its checksum
 * holds, so order numbers and ids that merely look like a card number or an IBAN pass.
 */

// Word-bounded, so a long run of digits or letters is tried from its first position only (linear time).
const CARD_CANDIDATE = /\b[0-9](?:[ -]?[0-9]){12,18}\b/g;
const IBAN_CANDIDATE = /\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}\b/g;

/** Payment card numbers (13-19 digits, spaces or dashes allowed) that pass the Luhn check. */
export function countCardNumbers(text: string): number {
  let count = 0;
  for (const match of text.matchAll(CARD_CANDIDATE)) if (luhnValid(match[0].replace(/[ -]/g, ''))) count++;
  return count;
}

/** IBANs (ISO 13616: country, check digits, account; spaces allowed) whose mod-97 check equals 1. */
export function countIbans(text: string): number {
  let count = 0;
  for (const match of text.matchAll(IBAN_CANDIDATE)) if (ibanValid(match[0].replace(/ /g, ''))) count++;
  return count;
}

/** ISO/IEC 7812 Luhn: doubling every second digit from the right, the sum is a multiple of 10. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** ISO 7064 MOD 97-10 as IBANs use it: move the first four characters to the end, letters to 10-35, mod 97 = 1. */
export function ibanValid(iban: string): boolean {
  if (iban.length < 15 || iban.length > 34) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    const value = code >= 65 ? code - 55 : code - 48;
    remainder = (value > 9 ? remainder * 100 + value : remainder * 10 + value) % 97;
  }
  return remainder === 1;
}
