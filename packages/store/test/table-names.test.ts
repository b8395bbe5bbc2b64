import { flagTableName } from '../src';

test('the table name follows the stage', () => {
  expect(flagTableName('pr-7')).toBe('pr-7-flags');
  expect(() => flagTableName('Prod')).toThrow(/stage name/);
});
