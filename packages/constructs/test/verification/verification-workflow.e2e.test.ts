import { randomBytes } from 'node:crypto';
import { DynamoDBClient, GetItemCommand, UpdateItemCommand, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FlagAppliedRecord, flagAppliedRecord } from '@ffc/cache';
import { AuditSink, createConsistencyCheckerHandler, createRollbackHandler, verificationInput } from '@ffc/functions';
import { FlagStore, createFlagStore, createFlagTable, deleteFlagTable } from '@ffc/store';
import { ensureEngines } from '@ffc/tools';
import { StateMachine } from 'aws-local-stepfunctions';
import { synthesisedVerificationDefinition } from './synthesised-definition';

const STAGE = 'pr-7';
const REGION = 'eu-west-1';
const SERVICES = ['checkout-api', 'checkout-receipt'];
const local = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

/** Answers the synthesised query from the `flag_applied` lines the cache updater writes, like Logs Insights. */
function logsInsights(lines: readonly FlagAppliedRecord[], queryString: string) {
  const keys = new Set(
    [...(queryString.match(/flagKey in \[([^\]]*)\]/)?.[1].matchAll(/"([^"]+)"/g) ?? [])].map((m) => m[1]),
  );
  const newest = new Map<string, FlagAppliedRecord>();
  for (const line of lines.filter((l) => l.event === 'flag_applied' && keys.has(l.flagKey))) {
    const key = `${line.service}/${line.flagKey}`;
    if ((newest.get(key)?.storedVersion ?? -1) < line.storedVersion) newest.set(key, line);
  }
  return [...newest.values()].map((l) => [
    { field: 'service', value: l.service },
    { field: 'flagKey', value: l.flagKey },
    { field: 'version', value: String(l.storedVersion) },
  ]);
}

describe('the synthesised verification workflow with the real checker and rollback on DynamoDB Local', () => {
  const definition = synthesisedVerificationDefinition();
  let client: DynamoDBClient;
  let store: FlagStore;
  let tableName: string;
  const alerts: unknown[] = [];
  const audit: AuditSink & { types: string[] } = {
    types: [],
    record: async (events) => void audit.types.push(...events.map((e) => e.type)),
  };

  beforeAll(async () => {
    client = new DynamoDBClient({ endpoint: ensureEngines(['dynamodb']).dynamodbEndpoint, ...local });
    tableName = `wf-${randomBytes(4).toString('hex')}-flags`;
    await createFlagTable(client, tableName);
    store = createFlagStore({
      client: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
      tableName,
    });
  }, 120_000);
  afterAll(async () => {
    await deleteFlagTable(client, tableName);
    client.destroy();
  });

  function execute(flagKey: string, version: number, kind: 'change' | 'rollback', lines: FlagAppliedRecord[]) {
    const input = verificationInput(
      REGION,
      [{ flagKey, version, services: SERVICES, correlationId: `${flagKey}:${version}`, kind }],
      Date.now(),
    );
    let queryString = '';
    const taskResourceLocalHandlers = {
      StartQuery: async (params: { QueryString: string }) => ((queryString = params.QueryString), { QueryId: 'q' }),
      GetQueryResults: async () => ({ Status: 'Complete', Results: logsInsights(lines, queryString) }),
      CheckConsistency: async (params: { Payload: never }) => ({
        Payload: await createConsistencyCheckerHandler(() => ({ audit, stage: STAGE }))(params.Payload),
      }),
      RollBack: createRollbackHandler(() => ({ store, audit, stage: STAGE, regions: [REGION] })),
      // The task's own UpdateItem parameters, run for real against the local table; errors named as the
      // Step Functions DynamoDB integration names them.
      RecordVerification: async (params: UpdateItemCommandInput) => {
        try {
          await client.send(new UpdateItemCommand({ ...params, TableName: tableName }));
          return {};
        } catch (error) {
          throw Object.assign(new Error((error as Error).message), { name: `DynamoDB.${(error as Error).name}` });
        }
      },
      AlertQueryFailed: async (message: unknown) => (alerts.push(message), {}),
      AlertRollbackFailed: async (message: unknown) => (alerts.push(message), {}),
      AlertNoKnownGood: async (message: unknown) => (alerts.push(message), {}),
    };
    const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
    return machine.run(input as never, {
      overrides: { taskResourceLocalHandlers, waitTimeOverrides: { SettleBeforeQuery: 0, WaitForResults: 0 } } as never,
    }).result;
  }

  const applied = (flagKey: string, version: number, services = SERVICES) =>
    services.map((service) =>
      flagAppliedRecord({
        flagKey,
        version,
        service,
        region: REGION,
        stage: STAGE,
        outcome: 'applied',
        storedVersion: version,
      }),
    );

  const change = (flagKey: string, version: number, value: boolean) => ({
    flagKey,
    version,
    value,
    type: 'boolean',
    stage: STAGE,
    changedBy: 'jdoe',
  });

  test('consistent: the workflow records this region verified the version (real conditional UpdateItem)', async () => {
    await store.put(change('wf-flag', 1, true), { expectedVersion: 0 });
    await execute('wf-flag', 1, 'change', applied('wf-flag', 1));
    expect(await store.verifiedVersions('wf-flag', [REGION])).toEqual({ [REGION]: 1 });
    // A late, older verification does not move the fact backwards (the task's condition fails and is caught).
    await execute('wf-flag', 1, 'change', applied('wf-flag', 1));
    expect(await store.verifiedVersions('wf-flag', [REGION])).toEqual({ [REGION]: 1 });
  });

  test("the state machine's write and the store's are one record: same attributes, same only-upward condition", async () => {
    await store.put(change('wf-record', 1, true), { expectedVersion: 0 });
    await store.put(change('wf-record', 2, false), { expectedVersion: 1 });
    await execute('wf-record', 1, 'change', applied('wf-record', 1));
    // The store reads what the state machine wrote, and refuses to lower it or write it again.
    expect(await store.verifiedVersions('wf-record', [REGION])).toEqual({ [REGION]: 1 });
    expect(await store.recordVerification('wf-record', REGION, 1)).toEqual({
      outcome: 'not-newer',
      verifiedVersion: 1,
    });
    // The store raises it; the state machine's late verification of version 1 then leaves it at 2.
    expect(await store.recordVerification('wf-record', REGION, 2)).toEqual({ outcome: 'recorded', verifiedVersion: 2 });
    await execute('wf-record', 1, 'change', applied('wf-record', 1));
    expect(await store.verifiedVersions('wf-record', [REGION])).toEqual({ [REGION]: 2 });

    // A fresh item written each way (the state machine here, the store in another region): the same attributes.
    await store.put(change('wf-attrs', 1, true), { expectedVersion: 0 });
    await execute('wf-attrs', 1, 'change', applied('wf-attrs', 1));
    await store.recordVerification('wf-attrs', 'us-east-1', 1);
    const item = async (region: string) =>
      (
        await client.send(
          new GetItemCommand({
            TableName: tableName,
            Key: { pk: { S: 'FLAG#wf-attrs' }, sk: { S: `VERIFIED#${region}` } },
          }),
        )
      ).Item!;
    const [byStateMachine, byStore] = [await item(REGION), await item('us-east-1')];
    expect(Object.keys(byStateMachine).sort()).toEqual(['pk', 'region', 'sk', 'verifiedAt', 'verifiedVersion']);
    expect(Object.keys(byStore).sort()).toEqual(Object.keys(byStateMachine).sort());
    expect([byStateMachine.region, byStore.region]).toEqual([{ S: REGION }, { S: 'us-east-1' }]);
  });

  test('one service missing: the real rollback writes last known good back', async () => {
    await store.put(change('wf-flag', 2, false), { expectedVersion: 1 });
    await execute('wf-flag', 2, 'change', applied('wf-flag', 2, ['checkout-api']));
    expect(await store.get('wf-flag')).toMatchObject({ version: 3, kind: 'rollback', value: true, rollbackOf: 2 });
    expect(audit.types).toEqual(
      expect.arrayContaining(['change.inconsistent', 'rollback.started', 'rollback.completed']),
    );
    expect(alerts).toHaveLength(0);
  });

  test('the rollback itself fails verification: an alert, and no second rollback', async () => {
    await execute('wf-flag', 3, 'rollback', applied('wf-flag', 3, []));
    expect(alerts).toHaveLength(1);
    expect(await store.get('wf-flag')).toMatchObject({ version: 3, kind: 'rollback' });
  });
});
