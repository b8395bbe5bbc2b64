import { FlagStreamRecordInput, MalformedStreamRecordError, parseFlagStreamRecord } from '../src';

/** A CURRENT image as DynamoDB writes it, in attribute-value JSON. */
function image(flagKey: string, version: number, documentVersion = version) {
  return {
    pk: { S: `FLAG#${flagKey}` },
    sk: { S: 'CURRENT' },
    version: { N: String(version) },
    document: {
      M: {
        flagKey: { S: flagKey },
        version: { N: String(documentVersion) },
        value: { BOOL: true },
        kind: { S: 'change' },
      },
    },
  };
}

function record(eventName: string, overrides: Partial<NonNullable<FlagStreamRecordInput['dynamodb']>> = {}) {
  return {
    eventID: 'event-1',
    eventName,
    dynamodb: {
      Keys: { pk: { S: 'FLAG#checkout-v2' }, sk: { S: 'CURRENT' } },
      NewImage: image('checkout-v2', 2),
      OldImage: image('checkout-v2', 1),
      ...overrides,
    },
  };
}

describe('parseFlagStreamRecord', () => {
  test.each([
    ['a hexadecimal version', { N: '0x2' }],
    ['an exponent', { N: '2e0' }],
    ['version 0', { N: '0' }],
    ['a negative version', { N: '-2' }],
    ['a fraction', { N: '2.5' }],
    ['a string version', { S: '2' }],
  ])('refuses %s: DynamoDB writes versions as plain decimals from 1', (_, version) => {
    const newImage = { ...image('checkout-v2', 2), version };
    expect(() => parseFlagStreamRecord(record('MODIFY', { NewImage: newImage }))).toThrow(MalformedStreamRecordError);
    const documentVersion = { ...image('checkout-v2', 2) };
    documentVersion.document.M.version = version as { N: string };
    expect(() => parseFlagStreamRecord(record('MODIFY', { NewImage: documentVersion }))).toThrow(
      MalformedStreamRecordError,
    );
  });

  test('MODIFY gives both documents', () => {
    expect(parseFlagStreamRecord(record('MODIFY'))).toEqual({
      eventName: 'MODIFY',
      flagKey: 'checkout-v2',
      newDocument: { flagKey: 'checkout-v2', version: 2, value: true, kind: 'change' },
      oldDocument: { flagKey: 'checkout-v2', version: 1, value: true, kind: 'change' },
    });
  });

  test('INSERT gives only the new document and REMOVE only the old one', () => {
    expect(parseFlagStreamRecord(record('INSERT', { OldImage: undefined }))).toMatchObject({
      newDocument: { version: 2 },
      oldDocument: undefined,
    });
    expect(parseFlagStreamRecord(record('REMOVE', { NewImage: undefined }))).toMatchObject({
      newDocument: undefined,
      oldDocument: { version: 1 },
    });
  });

  test.each([
    ['a history version', { pk: { S: 'FLAG#checkout-v2' }, sk: { S: 'V#000000000002' } }],
    ['a verification fact', { pk: { S: 'FLAG#checkout-v2' }, sk: { S: 'VERIFIED#eu-west-1' } }],
    ['an item of another kind', { pk: { S: 'LOCK#x' }, sk: { S: 'CURRENT' } }],
  ])('ignores %s', (_, Keys) => {
    expect(parseFlagStreamRecord(record('INSERT', { Keys }))).toBeNull();
  });

  test.each<[string, unknown, RegExp]>([
    ['no dynamodb section', { eventName: 'INSERT' }, /no `dynamodb` section/],
    ['not an object', null, /no `dynamodb` section/],
    ['an unknown event name', record('UPSERT'), /eventName must be INSERT, MODIFY or REMOVE, got "UPSERT"/],
    ['no keys', record('INSERT', { Keys: undefined }), /has no Keys/],
    ['a numeric key', record('INSERT', { Keys: { pk: { N: '1' }, sk: { S: 'CURRENT' } } }), /string pk and sk/],
    [
      'a bad flag key',
      record('INSERT', { Keys: { pk: { S: 'FLAG#Checkout V2' }, sk: { S: 'CURRENT' } } }),
      /must match/,
    ],
    ['a keys-only stream', record('MODIFY', { NewImage: undefined }), /NEW_AND_OLD_IMAGES/],
    ['no old image on MODIFY', record('MODIFY', { OldImage: undefined }), /has no OldImage/],
    ['an image without a document', record('INSERT', { NewImage: { version: { N: '2' } } }), /no document map/],
    ['a non-integer version', record('INSERT', { NewImage: image('checkout-v2', 2.5) }), /version 2.5/],
    ['versions that disagree', record('INSERT', { NewImage: image('checkout-v2', 2, 3) }), /disagrees/],
    ['another flag in the image', record('INSERT', { NewImage: image('other-flag', 2) }), /for 'other-flag'/],
    ['an attribute value of no type', record('INSERT', { NewImage: { version: { X: '1' } } }), /not DynamoDB/],
  ])('refuses %s with a MalformedStreamRecordError', (_, input, message) => {
    const parse = () => parseFlagStreamRecord(input as FlagStreamRecordInput);
    expect(parse).toThrow(MalformedStreamRecordError);
    expect(parse).toThrow(message);
  });

  test('names the record in the error so the failing batch item can be reported', () => {
    expect(() => parseFlagStreamRecord(record('UPSERT'))).toThrow(/^stream record event-1:/);
  });
});
