import aslValidator from 'asl-validator';
import { StateMachine } from 'aws-local-stepfunctions';
import { synthesisedVerificationDefinition } from './synthesised-definition';

const definition = synthesisedVerificationDefinition();
const NO_WAIT = { SettleBeforeQuery: 0, WaitForResults: 0 };

interface Change {
  flagKey: string;
  version: number;
  services: string[];
  isRollback?: boolean;
}

/** What the fake AWS side saw during one execution. */
interface Calls {
  queries: number;
  polls: number;
  verified: unknown[];
  rollbacks: unknown[];
  alerts: unknown[];
}

function run(changes: Change[], rows: string[][], opts: { statuses?: string[]; rollbackOutcome?: string } = {}) {
  const calls: Calls = { queries: 0, polls: 0, verified: [], rollbacks: [], alerts: [] };
  const statuses = [...(opts.statuses ?? ['Complete'])];
  const applied = (service: string, flagKey: string, version: number) =>
    rows.some(([s, k, v]) => s === service && k === flagKey && Number(v) === version);
  const taskResourceLocalHandlers = {
    StartQuery: async () => {
      calls.queries++;
      return { QueryId: 'q-1' };
    },
    GetQueryResults: async () => {
      calls.polls++;
      const status = statuses.length > 1 ? statuses.shift() : statuses[0];
      return {
        Status: status,
        Results: rows.map(([service, flagKey, version]) => [
          { field: 'service', value: service },
          { field: 'flagKey', value: flagKey },
          { field: 'version', value: version },
        ]),
      };
    },
    CheckConsistency: async (input: { Payload: { changes: Change[] } }) => ({
      Payload: {
        verdicts: input.Payload.changes.map((c) => ({
          ...c,
          region: 'eu-west-1',
          consistent: c.services.every((s) => applied(s, c.flagKey, c.version)),
          isRollback: c.isRollback ?? false,
        })),
      },
    }),
    RecordVerification: async (input: unknown) => {
      calls.verified.push(input);
      return {};
    },
    RollBack: async (input: unknown) => {
      calls.rollbacks.push(input);
      const outcome = opts.rollbackOutcome ?? 'rolled-back';
      return { outcome, alert: outcome === 'no-known-good' };
    },
    AlertQueryFailed: async (input: unknown) => (calls.alerts.push(input), {}),
    AlertRollbackFailed: async (input: unknown) => (calls.alerts.push(input), {}),
    AlertNoKnownGood: async (input: unknown) => (calls.alerts.push(input), {}),
  };
  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
  const input = {
    region: 'eu-west-1',
    changes,
    query: { queryString: 'fields service, flagKey, version', startTime: 1, endTime: 2 },
  };
  const execution = machine.run(input as never, {
    overrides: { taskResourceLocalHandlers, waitTimeOverrides: NO_WAIT } as never,
  });
  return execution.result.then((result) => ({ result, calls }));
}

const change: Change = { flagKey: 'checkout-redesign', version: 7, services: ['checkout-api', 'search-api'] };

describe('the synthesised verification definition', () => {
  test('is valid Amazon States Language', () => {
    const { isValid, errorsText } = aslValidator(definition);
    expect(errorsText('\n')).toBe('');
    expect(isValid).toBe(true);
  });

  test('consistent → this region records the verification; nothing is rolled back', async () => {
    const { calls } = await run(
      [change],
      [
        ['checkout-api', 'checkout-redesign', '7'],
        ['search-api', 'checkout-redesign', '7'],
      ],
    );
    expect(calls.verified).toHaveLength(1);
    expect(calls.verified[0]).toMatchObject({
      Key: { pk: { S: 'FLAG#checkout-redesign' }, sk: { S: 'VERIFIED#eu-west-1' } },
      ExpressionAttributeValues: { ':version': { N: '7' } },
    });
    expect(calls.rollbacks).toHaveLength(0);
    expect(calls.alerts).toHaveLength(0);
  });

  test('one service missing → rollback, no verification recorded', async () => {
    const { calls } = await run([change], [['checkout-api', 'checkout-redesign', '7']]);
    expect(calls.rollbacks).toEqual([
      expect.objectContaining({ flagKey: 'checkout-redesign', version: 7, consistent: false }),
    ]);
    expect(calls.verified).toHaveLength(0);
    expect(calls.alerts).toHaveLength(0);
  });

  test('nothing known good to roll back to → alert', async () => {
    const { calls } = await run([change], [], { rollbackOutcome: 'no-known-good' });
    expect(calls.rollbacks).toHaveLength(1);
    expect(calls.alerts).toHaveLength(1);
  });

  test('a rollback that fails verification raises an alert instead of rolling back again', async () => {
    const { calls } = await run([{ ...change, isRollback: true }], []);
    expect(calls.rollbacks).toHaveLength(0);
    expect(calls.alerts).toEqual([
      expect.objectContaining({
        Subject: 'ffc: a rollback failed verification',
        Message: expect.objectContaining({ flagKey: 'checkout-redesign', version: 7 }),
      }),
    ]);
  });

  test('polls while the query runs, then checks a batch of changes with one query', async () => {
    const other: Change = { flagKey: 'search-boost', version: 3, services: ['search-api'] };
    const { calls } = await run(
      [change, other],
      [
        ['checkout-api', 'checkout-redesign', '7'],
        ['search-api', 'checkout-redesign', '7'],
        ['search-api', 'search-boost', '2'],
      ],
      {
        statuses: ['Scheduled', 'Running', 'Complete'],
      },
    );
    expect(calls.queries).toBe(1);
    expect(calls.polls).toBe(3);
    expect(calls.verified).toHaveLength(1);
    expect(calls.rollbacks).toEqual([expect.objectContaining({ flagKey: 'search-boost' })]);
  });

  test('a failed query raises an alert and decides nothing', async () => {
    const { calls } = await run([change], [], { statuses: ['Failed'] });
    expect(calls.alerts).toHaveLength(1);
    expect(calls.verified).toHaveLength(0);
    expect(calls.rollbacks).toHaveLength(0);
  });
});
