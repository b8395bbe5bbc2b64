import { readFileSync } from 'fs';
import { join } from 'path';
import { RuleProperties } from 'json-rules-engine';
import {
  deriveFacts,
  createValidationContext,
  findRule,
  renderRulesDoc,
  rules,
  FlagChange,
  RETIRED_RULES,
  UNREADABLE_DOCUMENT,
} from '../src';
import { ruleCases } from './cases';
import { cleanChange, NOW } from './support/scenario';

/** Rule ID families and how many rules each has; IDs are numbered 001.. without gaps. */
const PINNED: Record<string, number> = {
  'FFC-KEY': 14,
  'FFC-TYPE': 38,
  'FFC-SIZE': 7,
  'FFC-SEC': 54,
  'FFC-ROLLOUT': 17,
  'FFC-TARGET': 24,
  'FFC-SCOPE': 12,
  'FFC-OWNER': 7,
  'FFC-PROD': 20,
  'FFC-KILL': 8,
  'FFC-TEMP': 16,
  'FFC-PREREQ': 17,
  'FFC-RATE': 9,
  'FFC-META': 13,
  'FFC-VER': 9,
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
  // The credential detectors, now FFC-SEC-001's table.
  ...['FFC-SEC-002', 'FFC-SEC-003', 'FFC-SEC-004', 'FFC-SEC-006', 'FFC-SEC-007', 'FFC-SEC-009', 'FFC-SEC-010'],
  ...['FFC-SEC-011', 'FFC-SEC-012', 'FFC-SEC-013', 'FFC-SEC-014', 'FFC-SEC-015', 'FFC-SEC-016', 'FFC-SEC-017'],
  ...['FFC-SEC-018', 'FFC-SEC-019', 'FFC-SEC-020', 'FFC-SEC-021', 'FFC-SEC-022', 'FFC-SEC-023', 'FFC-SEC-024'],
  ...['FFC-SEC-025', 'FFC-SEC-026', 'FFC-SEC-027', 'FFC-SEC-028', 'FFC-SEC-029', 'FFC-SEC-030', 'FFC-SEC-031'],
  ...['FFC-SEC-034', 'FFC-SEC-035', 'FFC-SEC-036', 'FFC-SEC-037', 'FFC-SEC-038'],
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

  test('the retired IDs are documented with where their check lives now, and no rule uses one', () => {
    expect(Object.keys(RETIRED_RULES).sort()).toEqual([...RETIRED].sort());
    for (const successor of Object.values(RETIRED_RULES)) expect(findRule(successor.split(' ')[0])).toBeDefined();
  });

  test('FFC-MODEL, the outcome for an unreadable document, is documented and is not a rule', () => {
    expect(UNREADABLE_DOCUMENT).toBe('FFC-MODEL');
    expect(findRule(UNREADABLE_DOCUMENT)).toBeUndefined();
    expect(renderRulesDoc(rules)).toContain(`| ${UNREADABLE_DOCUMENT} |`);
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

  test('every rule says in a sentence why it exists, in other words than what it checks', () => {
    const without = rules.filter((r) => r.why.trim().length < 20 || r.why.length > 160 || r.why === r.description);
    expect(without.map((r) => r.ruleId)).toEqual([]);
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
