import { auditAlias } from '../src';

describe('auditAlias', () => {
  test('is derived from the stage', () => {
    expect(auditAlias('pr-142')).toBe('ffc-audit-pr-142');
  });
  test.each(['Prod', 'has space', '', 'a,b'])('rejects stage %j', (stage) => {
    expect(() => auditAlias(stage)).toThrow(/must match/);
  });
});
