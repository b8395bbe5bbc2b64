/**
 * Size of a JSON value stored as a DynamoDB attribute, by DynamoDB's published rules (UTF-8 strings, numbers by
 * significant digits, 3 bytes per map or list plus 1 per element): JSON length alone underestimates lists of
 * small numbers by up to half.
 */
export function dynamoDbSize(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') return numberSize(value);
  if (typeof value === 'boolean' || value === null || value === undefined) return 1;
  if (Array.isArray(value)) return value.reduce((sum: number, element) => sum + 1 + dynamoDbSize(element), 3);
  return Object.entries(value as Record<string, unknown>).reduce(
    (sum, [name, element]) => sum + Buffer.byteLength(name, 'utf8') + 1 + dynamoDbSize(element),
    3,
  );
}

function numberSize(value: number): number {
  const digits = String(value)
    .replace(/e.*$/i, '')
    .replace(/[-.]/g, '')
    .replace(/^0+|0+$/g, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}
