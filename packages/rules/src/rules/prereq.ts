import { all, anyOf, defineFamily, exceeds, fact, isProduction, isTrue } from './define';
import { FLAG_KEY_PATTERN } from '../flag-key';

export const prerequisiteRules = defineFamily('prerequisites', [
  {
    id: 'FFC-PREREQ-001',
    why: 'Many dependencies make a flag off for reasons nobody can trace.',
    description: 'A flag has at most 5 prerequisites.',
    message: 'the flag has {prerequisiteCount} prerequisites: keep dependencies to 5 or fewer',
    path: 'prerequisites',
    when: exceeds('prerequisiteCount', 5),
  },
  {
    id: 'FFC-PREREQ-002',
    why: 'A missing prerequisite reads as off: the flag never turns on.',
    description:
      'Every prerequisite flag exists in this stage, down the whole chain (a cycle through a flag the validator cannot see cannot be ruled out).',
    message:
      'prerequisites {missingPrerequisites} (of this flag or further down its chain) are not in this stage or were not loaded: create them, or pass the whole chain (loadPrerequisiteChain)',
    path: 'prerequisites',
    when: anyOf('missingPrerequisiteCount'),
  },
  {
    id: 'FFC-PREREQ-003',
    why: 'A flag that requires itself is never on, or always.',
    integrity: true,
    description: 'A flag is not its own prerequisite.',
    message: 'flag {flagKey} lists itself as a prerequisite: remove it',
    path: 'prerequisites',
    when: isTrue('selfPrerequisite'),
  },
  {
    id: 'FFC-PREREQ-004',
    why: 'Duplicates hide conflicting required values.',
    description: 'Each prerequisite is listed once.',
    message: '{duplicatePrerequisiteCount} prerequisite(s) are listed twice: remove the duplicates',
    path: 'prerequisites',
    when: anyOf('duplicatePrerequisiteCount'),
  },
  {
    id: 'FFC-PREREQ-005',
    why: 'A required value of another type never matches: the flag stays off.',
    description: "A prerequisite's required value has the prerequisite flag's type.",
    message: 'prerequisites {prerequisiteTypeMismatches} require a value of another type than the flag serves',
    path: 'prerequisites',
    when: anyOf('prerequisiteTypeMismatchCount'),
  },
  {
    id: 'FFC-PREREQ-006',
    why: 'A cycle makes every flag in it depend on itself.',
    description: 'Prerequisites form no cycle.',
    message: 'prerequisites lead back to {flagKey} ({prerequisiteCycle}): break the cycle',
    path: 'prerequisites',
    when: fact('prerequisiteCycle', 'notEqual', null),
  },
  {
    id: 'FFC-PREREQ-007',
    why: 'Deep chains make a flag off for reasons three flags away.',
    description: 'Prerequisite chains are at most 3 flags deep.',
    message: 'the prerequisite chain is {prerequisiteDepth} flags deep: flatten it to 3',
    path: 'prerequisites',
    when: exceeds('prerequisiteDepth', 3),
  },
  {
    id: 'FFC-PREREQ-008',
    why: 'When the temporary prerequisite is removed, the permanent flag switches off.',
    description: 'A permanent flag does not depend on a temporary one (it would break when that one is removed).',
    message: 'permanent flag depends on temporary flags {temporaryPrerequisites}: make this flag temporary too',
    path: 'prerequisites',
    when: all(fact('temporary', 'notEqual', true), anyOf('temporaryPrerequisiteCount')),
  },
  {
    id: 'FFC-PREREQ-009',
    why: 'When the prerequisite expires, this flag switches off before its own end.',
    description: 'A temporary flag does not outlive its temporary prerequisites.',
    message: 'prerequisites {prerequisitesExpiringFirst} expire before this flag: align the expiry dates',
    path: 'expiresAt',
    when: anyOf('prerequisitesExpiringFirstCount'),
  },
  {
    id: 'FFC-PREREQ-010',
    why: 'An invalid key never resolves: the flag stays off.',
    integrity: true,
    description: 'Prerequisite keys are valid flag keys.',
    message: `prerequisite keys {prerequisiteKeys} must match ${FLAG_KEY_PATTERN.source}`,
    path: 'prerequisites',
    when: fact('prerequisiteKeys', 'someNotMatch', FLAG_KEY_PATTERN.source),
  },
  {
    id: 'FFC-PREREQ-011',
    why: 'Where the prerequisite is absent, it reads as off, so this flag is off there.',
    description: 'Each prerequisite reaches every service this flag targets; elsewhere it would read as off.',
    message: "prerequisites {prerequisitesMissingServices} do not reach all of this flag's services: widen them first",
    path: 'prerequisites',
    when: anyOf('prerequisitesMissingServicesCount'),
  },
  {
    id: 'FFC-PREREQ-012',
    why: 'A prerequisite that does not serve the required value keeps the flag off.',
    severity: 'warning',
    description: 'In production, prerequisites currently serve the required value; otherwise the flag stays off.',
    message: 'prerequisites {unsatisfiedPrerequisites} do not serve the required value yet: the flag will stay off',
    path: 'prerequisites',
    when: all(isProduction, anyOf('unsatisfiedPrerequisiteCount')),
  },
  {
    id: 'FFC-PREREQ-013',
    why: 'Flags that need the current value switch off as a side effect nobody reviewed.',
    description:
      'In production, a value change does not silently switch off the flags that require the current value (a reverse-dependency check): change or detach them first.',
    message:
      'flags {dependentsLosingValue} require the current value of {flagKey} and would switch off: update their prerequisites first',
    path: 'value',
    when: all(isProduction, anyOf('dependentsLosingValueCount')),
  },
  {
    id: 'FFC-PREREQ-014',
    why: 'Flags that need the current off value switch off as a side effect nobody reviewed.',
    description:
      'In production an off-value change does not silently switch off the flags that require the current off value (the reverse-dependency check of FFC-PREREQ-013, for what the other units get).',
    message:
      'flags {dependentsLosingOffValue} require the current off value of {flagKey} and would switch off: update their prerequisites first',
    path: 'offValue',
    when: all(isProduction, anyOf('dependentsLosingOffValueCount')),
  },
  {
    id: 'FFC-PREREQ-015',
    why: 'Archiving a prerequisite switches off every flag that requires it.',
    description:
      'A flag others depend on is not archived: its dependents would lose their prerequisite and switch off. Detach them first.',
    message:
      '{dependentCount} flag(s) list {flagKey} as a prerequisite: remove it from their prerequisites before archiving',
    path: 'flagKey',
    when: all(isTrue('archiving'), anyOf('dependentCount')),
  },
  {
    id: 'FFC-PREREQ-016',
    why: 'When this flag is removed, the flags that require it switch off.',
    description:
      'A flag others depend on does not become temporary or expire before them (FFC-PREREQ-008 and -009 from the other side): they would break when it is removed.',
    message:
      'flags {dependentsOutliving} depend on {flagKey} and would outlive it: keep it permanent or expire it after them',
    path: 'expiresAt',
    when: anyOf('dependentsOutlivingCount'),
  },
  {
    id: 'FFC-PREREQ-017',
    why: 'Where this flag no longer reaches, its dependents read it as off and switch off.',
    description:
      'A flag others depend on keeps reaching their services (FFC-PREREQ-011 from the other side): where it is absent, they read it as off.',
    message:
      'flags {dependentsOutsideServices} depend on {flagKey} in services it would no longer reach: keep those services',
    path: 'services',
    when: anyOf('dependentsOutsideServicesCount'),
  },
]);
