import { CONNECTOR_IDENTITY_PREFIX } from '@ffc/rules';
import { ACTORS, CONNECTOR_PREFIX } from '../src';

test('the connector writes under the identity prefix the rules reserve for it', () => {
  expect(CONNECTOR_PREFIX).toBe(CONNECTOR_IDENTITY_PREFIX);
  for (const actor of Object.values(ACTORS)) expect(actor.startsWith(CONNECTOR_IDENTITY_PREFIX)).toBe(true);
});
