import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FunctionSpec } from '../../src/assembly/stage-model';
import { Gateway, gatewayEnvironment, startGateway } from '../../src/gateway';
import { RegionalFunctionRuntime } from '../../src/lambda/function-runtime';

/** A bundle that starts an Express execution with a default-config client, as the functions package does. */
const BUNDLE = `
const { SFNClient, StartSyncExecutionCommand } = require('@aws-sdk/client-sfn');
exports.handler = async () =>
  (await new SFNClient({}).send(new StartSyncExecutionCommand({ stateMachineArn: 'arn:sm', input: '{}' }))).status;`;

describe("a worker thread's bundles reach the gateway under the SDK's host prefix", () => {
  let gateway: Gateway;
  let runtime: RegionalFunctionRuntime;
  const started: unknown[] = [];

  beforeAll(async () => {
    gateway = await startGateway({
      sfn: {
        startSyncExecution: async (_ctx, input) => {
          started.push(input);
          return { executionArn: 'arn:run', status: 'SUCCEEDED' as const, startDate: new Date(), stopDate: new Date() };
        },
      },
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-'));
    fs.writeFileSync(path.join(dir, 'index.js'), BUNDLE);
    const spec: FunctionSpec = {
      region: 'eu-west-1',
      where: 'test/verify',
      name: 'verify',
      arn: 'arn:aws:lambda:eu-west-1:000000000000:function:verify',
      assetDirectory: dir,
      handler: 'index.handler',
      timeoutSeconds: 5,
      memoryMb: 128,
      environment: {},
      logGroupName: '/aws/lambda/verify',
      logFormat: 'JSON',
    };
    runtime = new RegionalFunctionRuntime('eu-west-1', [spec], gatewayEnvironment(gateway), {
      append: () => undefined,
    });
    await runtime.started();
  });
  afterAll(async () => {
    await runtime.stop();
    await gateway.close();
  });

  test('StartSyncExecution goes to sync-<gateway host> (Smithy hostPrefix) and arrives', async () => {
    expect(new URL(gateway.url).hostname).toBe('127.0.0.1');
    expect(await runtime.invoke('verify', {})).toBe('SUCCEEDED');
    expect(started).toEqual([{ stateMachineArn: 'arn:sm', input: '{}' }]);
  });
});
