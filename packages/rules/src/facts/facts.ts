import { ValidationContext } from '../context';
import { compareWithCurrent } from './comparison';
import { measureConstraints } from './constraints';
import { measureDependents } from './dependents';
import { countCardNumbers, countIbans, detectSecrets } from './detectors';
import { measureExposure, safetyValveOf, sameContent } from './exposure';
import { jsonByteLength } from './json-size';
import { measureLifetime } from './lifetime';
import { duplicateCount } from './lists';
import { measurePrerequisites } from './prerequisites';
import { measureScope } from './scope';
import { measureTargeting } from './targeting';
import { measureHistory, measureTime, parseInstant } from './time';
import { kindOf, measureValue } from './value-shape';
import { FlagChange } from '../model/flag-change';

/** Everything the rules look at, measured once per change. */
export type Facts = ReturnType<typeof deriveFacts>;

/**
 * Measures a change in its context. Facts are neutral measurements (sizes, counts, lists); the
 * thresholds and formats live in the rules, so a reviewer reads the policy in one place.
 */
export function deriveFacts(change: FlagChange, context: ValidationContext) {
  const { value, rollout, tags = NO_STRINGS } = change;
  const changedAt = parseInstant(change.changedAt);
  // A parsed change always has a value: undefined would have been rejected as a missing field.
  const valueBytes = jsonByteLength(value) as number;
  const percentage = rollout ? rollout.percentage : null;
  const shape = measureValue(value);
  const { offValue } = change;
  // The detectors scan both values a flag serves; most flags have no off value and pay nothing.
  const offText = offValue === undefined ? '' : measureValue(offValue).valueText;
  const valueText = offText === '' ? shape.valueText : `${shape.valueText}\n${offText}`;
  const variantNames = change.variants ? [change.variants.on ?? 'on', change.variants.off ?? 'off'] : NO_STRINGS;
  const targeting = change.targeting?.length ? measureTargeting(change.targeting) : NO_TARGETING;
  const scope = measureScope(change, context.catalogue);
  const { current } = context;
  const time = measureTime(changedAt, context.now, context.policy, change.expiresAt, current?.changedAt);
  const history = measureHistory(context.history, context.now, change.changedBy);
  const prerequisites = change.prerequisites?.length
    ? measurePrerequisites(change, context.prerequisites)
    : NO_PREREQUISITES;
  const comparison = compareWithCurrent(change, current, context.now);
  const exposure = measureExposure(change, current, context.catalogue);
  const killSwitch = tags.includes('kill-switch');
  const dependents = measureDependents(change, context);
  const constraints = measureConstraints(change);
  const lifetime = measureLifetime(change, current, context.createdAt, context.now);
  const valueSecrets = detectSecrets(valueText);
  const targetingSecrets =
    targeting.targetingValueStrings.length === 0
      ? NO_STRINGS
      : detectSecrets(targeting.targetingValueStrings.join('\n'));
  const { lastKnownGood } = context;
  // A deprecated service keeps the flags it has; only adding it to a flag is refused.
  const newlyDeprecatedServices =
    scope.deprecatedServiceCount === 0 || !current
      ? scope.deprecatedServices
      : current.services.includes('*')
        ? NO_STRINGS
        : scope.deprecatedServices.filter((id) => !current.services.includes(id));
  // One literal with every fact in a fixed order: one allocation and one object shape for all changes,
  // which keeps each fact read in the compiled rules a single load (spreads cost ~20 µs per change).
  return {
    flagKey: change.flagKey,
    flagKeyLength: change.flagKey.length,
    stage: change.stage,
    policyStage: context.policy.stage,
    stageMatchesPolicy: change.stage === context.policy.stage,
    production: context.policy.production,
    type: change.type,
    kind: change.kind,
    value,
    valueKind: kindOf(value),
    valueNumber: typeof value === 'number' ? value : null,
    valueMagnitude: typeof value === 'number' ? Math.abs(value) : null,
    valueString: typeof value === 'string' ? value : null,
    valueStringLength: typeof value === 'string' ? value.length : null,
    // `{}` and `[]` are the only objects JSON writes in two bytes.
    valueIsEmptyContainer: valueBytes === 2 && typeof value === 'object',
    valueBytes,
    // The whole document as the flag table stores it (value included): no copy of the change needed.
    documentBytes: jsonByteLength(change) as number,
    valueDepth: shape.valueDepth,
    valueNodeCount: shape.valueNodeCount,
    valueMaxArrayLength: shape.valueMaxArrayLength,
    valueMaxObjectKeys: shape.valueMaxObjectKeys,
    valueEmptyKeyCount: shape.valueEmptyKeyCount,
    valueMaxKeyLength: shape.valueMaxKeyLength,
    valueMaxStringLength: shape.valueMaxStringLength,
    valueNullLeaves: shape.valueNullLeaves,
    valueUnsafeNumbers: shape.valueUnsafeNumbers,
    valueLoneSurrogates: shape.valueLoneSurrogates,
    valueText,
    valueSecrets,
    valueSecretCount: valueSecrets.length,
    valueCardNumbers: valueText === '' ? 0 : countCardNumbers(valueText),
    valueIbans: valueText === '' ? 0 : countIbans(valueText),
    offValue: offValue ?? null,
    offValueKindMismatch: offValue !== undefined && kindOf(offValue) !== kindOf(value),
    // A non-boolean flag that does not serve its value to everyone must say what the others get.
    offValueMissing:
      offValue === undefined &&
      change.type !== 'boolean' &&
      (rollout !== undefined || (change.targeting?.length ?? 0) > 0 || (change.prerequisites?.length ?? 0) > 0),
    variantNames,
    variantsDeclared: change.variants !== undefined,
    variantNamesClash: variantNames.length === 2 && variantNames[0] === variantNames[1],
    rolloutPercentage: percentage,
    rolloutDecimalPlaces: percentage === null ? null : decimalPlaces(percentage),
    rolloutBucketBy: rollout?.bucketBy ?? null,
    targetingCount: targeting.targetingCount,
    targetingAttributes: targeting.targetingAttributes,
    targetingOperators: targeting.targetingOperators,
    targetingTotalValues: targeting.targetingTotalValues,
    targetingValueStrings: targeting.targetingValueStrings,
    targetingSecrets,
    targetingSecretCount: targetingSecrets.length,
    emptyTargetingValueLists: targeting.emptyTargetingValueLists,
    maxTargetingValues: targeting.maxTargetingValues,
    duplicateTargetingRules: targeting.duplicateTargetingRules,
    duplicateTargetingValues: targeting.duplicateTargetingValues,
    maxUserIdListLength: targeting.maxUserIdListLength,
    nonNumericComparisonValues: targeting.nonNumericComparisonValues,
    numericValuesForStringOperators: targeting.numericValuesForStringOperators,
    semverTargetingValues: targeting.semverTargetingValues,
    semverOperatorAttributes: targeting.semverOperatorAttributes,
    regexTargetingValues: targeting.regexTargetingValues,
    invalidRegexTargetingValues: targeting.invalidRegexTargetingValues,
    partialMatchValues: targeting.partialMatchValues,
    contradictoryTargetingValues: targeting.contradictoryTargetingValues,
    countryTargetingValues: targeting.countryTargetingValues,
    platformTargetingValues: targeting.platformTargetingValues,
    languageTargetingValues: targeting.languageTargetingValues,
    planTargetingValues: targeting.planTargetingValues,
    regionTargetingValues: targeting.regionTargetingValues,
    deviceTypeTargetingValues: targeting.deviceTypeTargetingValues,
    wildcard: scope.wildcard,
    wildcardMixed: scope.wildcardMixed,
    serviceCount: scope.serviceCount,
    unknownServices: scope.unknownServices,
    unknownServiceCount: scope.unknownServiceCount,
    duplicateServices: scope.duplicateServices,
    duplicateServiceCount: scope.duplicateServiceCount,
    servicesRejectingType: scope.servicesRejectingType,
    servicesRejectingTypeCount: scope.servicesRejectingTypeCount,
    regionCount: scope.regionCount,
    unknownRegions: scope.unknownRegions,
    unknownRegionCount: scope.unknownRegionCount,
    duplicateRegions: scope.duplicateRegions,
    duplicateRegionCount: scope.duplicateRegionCount,
    servicesOutsideRegions: scope.servicesOutsideRegions,
    servicesOutsideRegionsCount: scope.servicesOutsideRegionsCount,
    regionsWithoutServices: scope.regionsWithoutServices,
    regionsWithoutServicesCount: scope.regionsWithoutServicesCount,
    deprecatedServices: scope.deprecatedServices,
    deprecatedServiceCount: scope.deprecatedServiceCount,
    newlyDeprecatedServices,
    newlyDeprecatedServiceCount: newlyDeprecatedServices.length,
    targetTiers: scope.targetTiers,
    targetTeamCount: scope.targetTeamCount,
    ownerExists: scope.ownerExists,
    ownerOwnsTargetService: scope.ownerOwnsTargetService,
    foreignTier0Services: scope.foreignTier0Services,
    foreignTier0ServiceCount: scope.foreignTier0ServiceCount,
    keyTeamPrefix: scope.keyTeamPrefix,
    keyTeamPrefixIsOwner: scope.keyTeamPrefixIsOwner,
    owner: change.owner,
    description: change.description,
    descriptionLength: change.description.trim().length,
    descriptionRepeatsKey: sameAlphanumerics(change.description, change.flagKey),
    reason: change.reason,
    reasonLength: change.reason.trim().length,
    reasonRepeatsDescription: change.reason.trim() !== '' && change.reason.trim() === change.description.trim(),
    emergency: change.reason.startsWith('EMERGENCY:'),
    metadataText: `${change.description}\n${change.reason}\n${change.ticket ?? ''}`,
    changedBy: change.changedBy,
    changedByIsAutomation: /^(svc|bot|ci)-/.test(change.changedBy),
    authenticatedWriter: context.authenticatedWriter ?? null,
    writerMismatch: context.authenticatedWriter !== undefined && context.authenticatedWriter !== change.changedBy,
    ticket: change.ticket ?? null,
    hasTicket: change.ticket !== undefined && change.ticket.trim() !== '',
    approvedBy: change.approvedBy ?? null,
    approvedBySomeoneElse:
      change.approvedBy !== undefined && change.approvedBy.trim() !== '' && change.approvedBy !== change.changedBy,
    tags,
    tagCount: tags.length,
    duplicateTagCount: duplicateCount(tags),
    killSwitch,
    temporary: change.temporary ?? null,
    expiresAt: change.expiresAt ?? null,
    purpose: lifetime.purpose,
    purposeDeclared: lifetime.purposeDeclared,
    purposeChanged: lifetime.purposeChanged,
    flagAgeDays: lifetime.flagAgeDays,
    expiresAfterCreationDays: lifetime.expiresAfterCreationDays,
    currentAgeDays: lifetime.currentAgeDays,
    servesEveryone: lifetime.servesEveryone,
    currentServesEveryone: lifetime.currentServesEveryone,
    archiving: context.archiving,
    ranInLowerStage: context.ranInLowerStage ?? null,
    hasConstraints: constraints.hasConstraints,
    constraintProblems: constraints.constraintProblems,
    constraintProblemCount: constraints.constraintProblemCount,
    valuesOutsideBounds: constraints.valuesOutsideBounds,
    valuesOutsideBoundsCount: constraints.valuesOutsideBoundsCount,
    valuesOutsideEnum: constraints.valuesOutsideEnum,
    valuesOutsideEnumCount: constraints.valuesOutsideEnumCount,
    valuesNotMatchingPattern: constraints.valuesNotMatchingPattern,
    valuesNotMatchingPatternCount: constraints.valuesNotMatchingPatternCount,
    missingRequiredKeys: constraints.missingRequiredKeys,
    missingRequiredKeyCount: constraints.missingRequiredKeyCount,
    version: change.version,
    versionIsPositiveInteger: Number.isSafeInteger(change.version) && change.version >= 1,
    changedAt: change.changedAt,
    changedAtValid: time.changedAtValid,
    changedAtAheadSeconds: time.changedAtAheadSeconds,
    changedAtAgeHours: time.changedAtAgeHours,
    changedAtBeforeCurrent: time.changedAtBeforeCurrent,
    changeWindowsConfigured: time.changeWindowsConfigured,
    withinChangeWindow: time.withinChangeWindow,
    activeFreeze: time.activeFreeze,
    hasExpiresAt: time.hasExpiresAt,
    expiresInDays: time.expiresInDays,
    changesLastHour: history.changesLastHour,
    changesLastDay: history.changesLastDay,
    rollbacksLastDay: history.rollbacksLastDay,
    restoresLastHour: history.restoresLastHour,
    changesByAuthorLastHour: history.changesByAuthorLastHour,
    minutesSinceLastChange: history.minutesSinceLastChange,
    lastChangeKind: history.lastChangeKind,
    // A flag that does not exist now is created at the version after its history's last (an archive, a
    // refused creation): 1 for a key never written. Null while a current version exists.
    creationVersion: current === undefined ? history.highestVersion + 1 : null,
    creationVersionSkip: current === undefined ? change.version - history.highestVersion - 1 : null,
    prerequisiteCount: prerequisites.prerequisiteCount,
    prerequisiteKeys: prerequisites.prerequisiteKeys,
    selfPrerequisite: prerequisites.selfPrerequisite,
    duplicatePrerequisiteCount: prerequisites.duplicatePrerequisiteCount,
    missingPrerequisites: prerequisites.missingPrerequisites,
    missingPrerequisiteCount: prerequisites.missingPrerequisiteCount,
    prerequisiteTypeMismatches: prerequisites.prerequisiteTypeMismatches,
    prerequisiteTypeMismatchCount: prerequisites.prerequisiteTypeMismatchCount,
    temporaryPrerequisites: prerequisites.temporaryPrerequisites,
    temporaryPrerequisiteCount: prerequisites.temporaryPrerequisiteCount,
    prerequisitesExpiringFirst: prerequisites.prerequisitesExpiringFirst,
    prerequisitesExpiringFirstCount: prerequisites.prerequisitesExpiringFirstCount,
    prerequisitesMissingServices: prerequisites.prerequisitesMissingServices,
    prerequisitesMissingServicesCount: prerequisites.prerequisitesMissingServicesCount,
    unsatisfiedPrerequisites: prerequisites.unsatisfiedPrerequisites,
    unsatisfiedPrerequisiteCount: prerequisites.unsatisfiedPrerequisiteCount,
    maxPrerequisiteValueBytes: prerequisites.maxPrerequisiteValueBytes,
    prerequisiteDepth: prerequisites.prerequisiteDepth,
    prerequisiteCycle: prerequisites.prerequisiteCycle,
    dependentCount: dependents.dependentCount,
    dependentsLosingValue: dependents.dependentsLosingValue,
    dependentsLosingValueCount: dependents.dependentsLosingValue.length,
    dependentsLosingOffValue: dependents.dependentsLosingOffValue,
    dependentsLosingOffValueCount: dependents.dependentsLosingOffValue.length,
    dependentsOutliving: dependents.dependentsOutliving,
    dependentsOutlivingCount: dependents.dependentsOutliving.length,
    dependentsOutsideServices: dependents.dependentsOutsideServices,
    dependentsOutsideServicesCount: dependents.dependentsOutsideServices.length,
    currentExists: comparison.currentExists,
    currentIsOtherFlag: comparison.currentIsOtherFlag,
    currentVersion: comparison.currentVersion,
    versionStep: comparison.versionStep,
    currentType: comparison.currentType,
    typeChanged: comparison.typeChanged,
    currentOwner: comparison.currentOwner,
    ownerChanged: comparison.ownerChanged,
    valueChanged: comparison.valueChanged,
    anythingChanged: comparison.anythingChanged,
    effectiveRollout: comparison.effectiveRollout,
    offValueChanged: comparison.offValueChanged,
    contentChanged: comparison.contentChanged,
    audienceChanged: comparison.audienceChanged,
    rolloutPartial: comparison.rolloutPartial,
    rolloutPercentageChanged: comparison.rolloutPercentageChanged,
    constraintsChanged: comparison.constraintsChanged,
    // The current version has not been verified in every region yet: last known good is an older one.
    currentUnverified:
      current !== undefined &&
      lastKnownGood !== undefined &&
      lastKnownGood.flagKey === change.flagKey &&
      lastKnownGood.version < current.version,
    rollbackDiffersFromLastKnownGood:
      change.kind === 'rollback' && lastKnownGood !== undefined && !sameContent(change, lastKnownGood),
    exposureBefore: exposure.exposureBefore,
    exposureAfter: exposure.exposureAfter,
    exposureIncreased: exposure.exposureIncreased,
    exposureGrowth: exposure.exposureGrowth,
    safetyValve: safetyValveOf(change, current, context.lastKnownGood, killSwitch),
    bucketByChanged: comparison.bucketByChanged,
    currentRolloutPartial: comparison.currentRolloutPartial,
    currentExpiresAt: comparison.currentExpiresAt,
    currentExpired: comparison.currentExpired,
    numberChangeFactor: comparison.numberChangeFactor,
    numberBecameFractional: comparison.numberBecameFractional,
    removedTopLevelKeys: comparison.removedTopLevelKeys,
    removedTopLevelKeyCount: comparison.removedTopLevelKeyCount,
    retypedTopLevelKeys: comparison.retypedTopLevelKeys,
    retypedTopLevelKeyCount: comparison.retypedTopLevelKeyCount,
  };
}

const NO_STRINGS: readonly string[] = Object.freeze([]);
// Most changes have neither: measuring nothing once saves a few dozen allocations per change.
const NO_TARGETING = Object.freeze(measureTargeting([]));
const NO_PREREQUISITES = Object.freeze(
  measurePrerequisites({ flagKey: '', prerequisites: [] } as unknown as FlagChange, new Map()),
);

function decimalPlaces(n: number): number {
  const text = String(n);
  if (text.includes('e')) return 20;
  const dot = text.indexOf('.');
  return dot === -1 ? 0 : text.length - dot - 1;
}

/** Whether two texts are the same once lower-cased with everything but ASCII letters and digits dropped. */
function sameAlphanumerics(a: string, b: string): boolean {
  // Some non-ASCII letters lower-case to ASCII ones ('İ' to 'i̇'): only ASCII texts take the allocation-free walk.
  if (NON_ASCII.test(a) || NON_ASCII.test(b)) return normalise(a) === normalise(b);
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && !isAlphanumeric(a.charCodeAt(i))) i++;
    while (j < b.length && !isAlphanumeric(b.charCodeAt(j))) j++;
    if (i === a.length || j === b.length) return i === a.length && j === b.length;
    if (lowerAscii(a.charCodeAt(i++)) !== lowerAscii(b.charCodeAt(j++))) return false;
  }
}

const NON_ASCII = /[^\0-\x7f]/;

function normalise(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

const lowerAscii = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);
const isAlphanumeric = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
