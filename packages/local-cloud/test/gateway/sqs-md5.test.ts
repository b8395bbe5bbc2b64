import { md5OfMessageAttributes } from '../../src/gateway/sqs-md5';

// Expected digests are other implementations' published test vectors of the algorithm in the SQS Developer
// Guide ("Calculating the MD5 message digest for message attributes"), not values this code produced.
describe('md5OfMessageAttributes', () => {
  test('string attributes are sorted by name (ydb-platform/ydb attributes_md5_ut.cpp, AmazonSampleWithString)', () => {
    expect(
      md5OfMessageAttributes({
        test_attribute_name_2: { DataType: 'String', StringValue: 'test_attribute_value_2' },
        test_attribute_name_1: { DataType: 'String', StringValue: 'test_attribute_value_1' },
      }),
    ).toBe('d53f3b558fe951154770f25cb63dbba9');
  });

  test('a binary value is hashed as bytes with transport type 2 (ydb AmazonSampleWithBinary)', () => {
    expect(
      md5OfMessageAttributes({
        test_attribute_name: { DataType: 'Binary', BinaryValue: Buffer.from('test_attribute_value') },
      }),
    ).toBe('23f6bd27ea87aab7dfeadcc9aebee495');
  });

  test('Number is hashed like String, by its DataType name (wcharczuk/sqslite md5_test.go)', () => {
    expect(
      md5OfMessageAttributes({
        ordinal: { DataType: 'Number', StringValue: '1' },
        category: { DataType: 'String', StringValue: 'test' },
      }),
    ).toBe('d21ae90c49061e927f57df5f5d72be1f');
  });

  test('no attributes: no digest, as SQS omits MD5OfMessageAttributes', () => {
    expect(md5OfMessageAttributes(undefined)).toBeUndefined();
    expect(md5OfMessageAttributes({})).toBeUndefined();
  });
});
