import * as fs from 'node:fs';
import * as path from 'node:path';
import { HANDLER_CALLS, RegionalHandlers } from '../../src';

/** The AWS SDK v3 client package of each IAM service prefix the handlers use. */
const CLIENT_OF: Record<string, string> = {
  dynamodb: '@aws-sdk/client-dynamodb',
  sns: '@aws-sdk/client-sns',
  events: '@aws-sdk/client-eventbridge',
  sqs: '@aws-sdk/client-sqs',
  states: '@aws-sdk/client-sfn',
  secretsmanager: '@aws-sdk/client-secrets-manager',
};
/** Clients every bundle carries through the shared runtime module, whether the handler calls them or not. */
const SHARED_CLIENTS = new Set(['@aws-sdk/client-dynamodb', '@aws-sdk/client-sqs']);

/** The SDK clients a bundle loads (the Lambda runtime provides them, so esbuild leaves `require`s). */
function clientsOf(handler: keyof RegionalHandlers): Set<string> {
  const bundle = fs.readFileSync(path.join(__dirname, '..', '..', 'assets', 'handlers', handler, 'index.js'), 'utf8');
  return new Set([...bundle.matchAll(/require\("(@aws-sdk\/client-[a-z-]+)"\)/g)].map((m) => m[1]));
}

describe('HANDLER_CALLS: the declared calls agree with the bundled handlers', () => {
  test.each(Object.keys(HANDLER_CALLS) as Array<keyof RegionalHandlers>)('%s', (handler) => {
    const clients = clientsOf(handler);
    const services = new Set(HANDLER_CALLS[handler].map((action) => action.split(':')[0]));
    // A declared call needs its client in the bundle (the audit writer's es: call goes through the OpenSearch client).
    for (const service of services) {
      if (CLIENT_OF[service]) expect([handler, clients.has(CLIENT_OF[service])]).toEqual([handler, true]);
    }
    // A client only this handler loads means a call it makes: it must be declared.
    for (const client of clients) {
      if (SHARED_CLIENTS.has(client)) continue;
      const service = Object.keys(CLIENT_OF).find((s) => CLIENT_OF[s] === client);
      expect([handler, client, service !== undefined && services.has(service)]).toEqual([handler, client, true]);
    }
  });
});
