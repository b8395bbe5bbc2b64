import { all, any, defineFamily, exceeds, fact, isNoSafetyValve, targetsTier0 } from './define';

export const sizeRules = defineFamily('size', [
  {
    id: 'FFC-SIZE-001',
    why: 'Large values fill the 400 KB item, the fan-out message and every request-path cache.',
    integrity: true,
    description:
      "A value is at most 64 KB of JSON, far below DynamoDB's 400 KB item limit and cheap to fan out; a new value for tier-0 services at most 4 KB (it sits in their request-path cache). A safety valve is held to 64 KB only.",
    message:
      'the value is {valueBytes} bytes: keep it under 65,536 bytes, 4,096 for tier-0 services (store large payloads elsewhere and flag a pointer)',
    path: 'value',
    when: any(exceeds('valueBytes', 65536), all(isNoSafetyValve, targetsTier0, exceeds('valueBytes', 4096))),
  },
  {
    id: 'FFC-SIZE-002',
    why: 'Deep nesting is slow to parse and unreadable to review.',
    integrity: true,
    description: 'A value nests at most 8 levels deep.',
    message: 'the value nests {valueDepth} levels deep: flatten it to 8 levels or fewer',
    path: 'value',
    when: exceeds('valueDepth', 8),
  },
  {
    id: 'FFC-SIZE-003',
    why: 'Many nodes mean a data set copied to every cache and parsed on each read.',
    integrity: true,
    description: 'A value has at most 5,000 JSON nodes.',
    message: 'the value has {valueNodeCount} JSON nodes: keep it to 5,000',
    path: 'value',
    when: exceeds('valueNodeCount', 5000),
  },
  {
    id: 'FFC-SIZE-004',
    why: 'The document must fit the item with its history fields and the 256 KB fan-out message.',
    integrity: true,
    description: 'The whole flag document is at most 128 KB, leaving room in the 400 KB item for history fields.',
    message: 'the flag document is {documentBytes} bytes: keep it under 131,072 bytes',
    path: '',
    when: exceeds('documentBytes', 131072),
  },
  {
    id: 'FFC-SIZE-005',
    why: 'Long targeting lists are evaluated on every request; segments scale, lists do not.',
    integrity: true,
    description: 'Targeting holds at most 1,000 values in total; larger audiences belong in a segment.',
    message: 'targeting lists {targetingTotalValues} values: use a segment attribute instead of long lists',
    path: 'targeting',
    when: exceeds('targetingTotalValues', 1000),
  },
  {
    id: 'FFC-SIZE-006',
    why: 'Values this large slow each cache read in the services that use them.',
    severity: 'warning',
    description: 'Values above 16 KB slow every cache read on the services that use them.',
    message: 'the value is {valueBytes} bytes: consider splitting it or moving the payload out of the flag',
    path: 'value',
    when: all(exceeds('valueBytes', 16384), fact('valueBytes', 'lessThanInclusive', 65536)),
  },
  {
    id: 'FFC-SIZE-007',
    why: 'Prerequisite values are compared on every evaluation of the dependent flag.',
    integrity: true,
    description: 'Prerequisite values are small (at most 1 KB each): they are compared on every evaluation.',
    message: 'a prerequisite value is {maxPrerequisiteValueBytes} bytes: require a small value, e.g. true',
    path: 'prerequisites',
    when: exceeds('maxPrerequisiteValueBytes', 1024),
  },
]);
