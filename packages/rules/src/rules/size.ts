import { all, defineFamily, exceeds, fact } from './define';

export const sizeRules = defineFamily('size', [
  {
    id: 'FFC-SIZE-001',
    description: "A value is at most 64 KB of JSON, far below DynamoDB's 400 KB item limit and cheap to fan out.",
    message:
      'the value is {valueBytes} bytes: keep it under 65,536 bytes (store large payloads elsewhere and flag a pointer)',
    path: 'value',
    when: exceeds('valueBytes', 65536),
  },
  {
    id: 'FFC-SIZE-002',
    description: 'A value nests at most 8 levels deep.',
    message: 'the value nests {valueDepth} levels deep: flatten it to 8 levels or fewer',
    path: 'value',
    when: exceeds('valueDepth', 8),
  },
  {
    id: 'FFC-SIZE-003',
    description: 'A value has at most 5,000 JSON nodes.',
    message: 'the value has {valueNodeCount} JSON nodes: keep it to 5,000',
    path: 'value',
    when: exceeds('valueNodeCount', 5000),
  },
  {
    id: 'FFC-SIZE-004',
    description: 'The whole flag document is at most 128 KB, leaving room in the 400 KB item for history fields.',
    message: 'the flag document is {documentBytes} bytes: keep it under 131,072 bytes',
    path: '',
    when: exceeds('documentBytes', 131072),
  },
  {
    id: 'FFC-SIZE-005',
    description: 'Targeting holds at most 1,000 values in total; larger audiences belong in a segment.',
    message: 'targeting lists {targetingTotalValues} values: use a segment attribute instead of long lists',
    path: 'targeting',
    when: exceeds('targetingTotalValues', 1000),
  },
  {
    id: 'FFC-SIZE-006',
    severity: 'warning',
    description: 'Values above 16 KB slow every cache read on the services that use them.',
    message: 'the value is {valueBytes} bytes: consider splitting it or moving the payload out of the flag',
    path: 'value',
    when: all(exceeds('valueBytes', 16384), fact('valueBytes', 'lessThanInclusive', 65536)),
  },
  {
    id: 'FFC-SIZE-007',
    description: 'Prerequisite values are small (at most 1 KB each): they are compared on every evaluation.',
    message: 'a prerequisite value is {maxPrerequisiteValueBytes} bytes: require a small value, e.g. true',
    path: 'prerequisites',
    when: exceeds('maxPrerequisiteValueBytes', 1024),
  },
]);
