import { readFileSync } from 'fs';
import { join } from 'path';
import { RuleProperties } from 'json-rules-engine';
import { deriveFacts, createValidationContext, findRule, renderRulesDoc, rules, FlagChange } from '../src';
import { ruleCases } from './cases';
import { cleanChange, NOW } from './support/scenario';

/** Rule ID families and how many rules each has; IDs are numbered 001.. without gaps. */
const PINNED: Record<string, number> = {
  'FFC-KEY': 14,
  'FFC-TYPE': 30,
  'FFC-SIZE': 7,
  'FFC-SEC': 52,
  'FFC-ROLLOUT': 13,
  'FFC-TARGET': 24,
  'FFC-SCOPE': 12,
  'FFC-OWNER': 7,
  'FFC-PROD': 16,
  'FFC-KILL': 7,
  'FFC-TEMP': 8,
  'FFC-PREREQ': 13,
  'FFC-RATE': 8,
  'FFC-META': 13,
  'FFC-VER': 8,
  'FFC-TIER': 9,
};
/** Merged into another rule; a retired ID is never given to another rule, so old references cannot mislead. */
const RETIRED = [
  'FFC-TIER-003',
  'FFC-TIER-005',
  'FFC-TIER-007',
  'FFC-SEC-005',
  'FFC-SEC-008',
  'FFC-SEC-032',
  'FFC-SEC-033',
];
const PINNED_IDS = Object.entries(PINNED)
  .flatMap(([family, n]) => Array.from({ length: n }, (_, i) => `${family}-${String(i + 1).padStart(3, '0')}`))
  .filter((id) => !RETIRED.includes(id));

describe('the rule registry', () => {
  test('holds exactly the 234 pinned rule IDs, in order, and none of the retired ones', () => {
    expect(PINNED_IDS).toHaveLength(234);
    expect(rules.map((r) => r.ruleId)).toEqual(PINNED_IDS);
  });

  test('every rule has a compliant and a violating test case', () => {
    expect(Object.keys(ruleCases).sort()).toEqual([...PINNED_IDS].sort());
  });

  test('every rule is a json-rules-engine rule whose event carries its metadata', () => {
    for (const rule of rules) {
      const properties: RuleProperties = rule.properties as unknown as RuleProperties;
      expect(properties.name).toBe(rule.ruleId);
      expect(properties.event).toEqual({
        type: 'violation',
        params: {
          ruleId: rule.ruleId,
          category: rule.category,
          severity: rule.severity,
          integrity: rule.integrity,
          description: rule.description,
          message: rule.message,
          path: rule.path,
        },
      });
    }
  });

  test('messages only name facts that exist', () => {
    const facts = deriveFacts(cleanChange() as FlagChange, createValidationContext({ now: NOW, stage: 'live' }));
    const placeholders = rules.flatMap((r) => [...r.message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
    expect(placeholders.filter((name) => !(name in facts))).toEqual([]);
  });

  test('findRule looks rules up by ID, case-insensitively', () => {
    expect(findRule('ffc-key-001')?.ruleId).toBe('FFC-KEY-001');
    expect(findRule('FFC-NOPE-001')).toBeUndefined();
  });
});

describe('RULES.md', () => {
  test('matches what the registry generates', () => {
    const committed = readFileSync(join(__dirname, '..', 'RULES.md'), 'utf8');
    if (committed !== renderRulesDoc(rules)) {
      throw new Error('RULES.md is out of date: run `npx projen rules:doc` in packages/rules and commit the result');
    }
  });
});
