import { all, anyOf, defineFamily, exceeds, fact, isProduction, isTrue } from './define';

export const prerequisiteRules = defineFamily('prerequisites', [
  {
    id: 'FFC-PREREQ-001',
    description: 'A flag has at most 5 prerequisites.',
    message: 'the flag has {prerequisiteCount} prerequisites: keep dependencies to 5 or fewer',
    path: 'prerequisites',
    when: exceeds('prerequisiteCount', 5),
  },
  {
    id: 'FFC-PREREQ-002',
    description:
      'Every prerequisite flag exists in this stage, down the whole chain (a cycle through a flag the validator cannot see cannot be ruled out).',
    message:
      'prerequisites {missingPrerequisites} (of this flag or further down its chain) are not in this stage or were not loaded: create them, or pass the whole chain (loadPrerequisiteChain)',
    path: 'prerequisites',
    when: anyOf('missingPrerequisiteCount'),
  },
  {
    id: 'FFC-PREREQ-003',
    integrity: true,
    description: 'A flag is not its own prerequisite.',
    message: 'flag {flagKey} lists itself as a prerequisite: remove it',
    path: 'prerequisites',
    when: isTrue('selfPrerequisite'),
  },
  {
    id: 'FFC-PREREQ-004',
    description: 'Each prerequisite is listed once.',
    message: '{duplicatePrerequisiteCount} prerequisite(s) are listed twice: remove the duplicates',
    path: 'prerequisites',
    when: anyOf('duplicatePrerequisiteCount'),
  },
  {
    id: 'FFC-PREREQ-005',
    description: "A prerequisite's required value has the prerequisite flag's type.",
    message: 'prerequisites {prerequisiteTypeMismatches} require a value of another type than the flag serves',
    path: 'prerequisites',
    when: anyOf('prerequisiteTypeMismatchCount'),
  },
  {
    id: 'FFC-PREREQ-006',
    description: 'Prerequisites form no cycle.',
    message: 'prerequisites lead back to {flagKey} ({prerequisiteCycle}): break the cycle',
    path: 'prerequisites',
    when: fact('prerequisiteCycle', 'notEqual', null),
  },
  {
    id: 'FFC-PREREQ-007',
    description: 'Prerequisite chains are at most 3 flags deep.',
    message: 'the prerequisite chain is {prerequisiteDepth} flags deep: flatten it to 3',
    path: 'prerequisites',
    when: exceeds('prerequisiteDepth', 3),
  },
  {
    id: 'FFC-PREREQ-008',
    description: 'A permanent flag does not depend on a temporary one (it would break when that one is removed).',
    message: 'permanent flag depends on temporary flags {temporaryPrerequisites}: make this flag temporary too',
    path: 'prerequisites',
    when: all(fact('temporary', 'notEqual', true), anyOf('temporaryPrerequisiteCount')),
  },
  {
    id: 'FFC-PREREQ-009',
    description: 'A temporary flag does not outlive its temporary prerequisites.',
    message: 'prerequisites {prerequisitesExpiringFirst} expire before this flag: align the expiry dates',
    path: 'expiresAt',
    when: anyOf('prerequisitesExpiringFirstCount'),
  },
  {
    id: 'FFC-PREREQ-010',
    integrity: true,
    description: 'Prerequisite keys are valid flag keys.',
    message: 'prerequisite keys {prerequisiteKeys} must match ^[a-z][a-z0-9-]{2,63}$',
    path: 'prerequisites',
    when: fact('prerequisiteKeys', 'someNotMatch', '^[a-z][a-z0-9-]{2,63}$'),
  },
  {
    id: 'FFC-PREREQ-011',
    description: 'Each prerequisite reaches every service this flag targets; elsewhere it would read as off.',
    message: "prerequisites {prerequisitesMissingServices} do not reach all of this flag's services: widen them first",
    path: 'prerequisites',
    when: anyOf('prerequisitesMissingServicesCount'),
  },
  {
    id: 'FFC-PREREQ-012',
    severity: 'warning',
    description: 'In production, prerequisites currently serve the required value; otherwise the flag stays off.',
    message: 'prerequisites {unsatisfiedPrerequisites} do not serve the required value yet: the flag will stay off',
    path: 'prerequisites',
    when: all(isProduction, anyOf('unsatisfiedPrerequisiteCount')),
  },
  {
    id: 'FFC-PREREQ-013',
    description:
      'In production, a value change does not silently switch off the flags that require the current value (a reverse-dependency check): change or detach them first.',
    message:
      'flags {dependentsLosingValue} require the current value of {flagKey} and would switch off: update their prerequisites first',
    path: 'value',
    when: all(isProduction, anyOf('dependentsLosingValueCount')),
  },
]);
