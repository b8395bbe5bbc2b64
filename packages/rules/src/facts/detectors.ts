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
