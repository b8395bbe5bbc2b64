import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FunctionSpec } from '../../src/assembly/stage-model';
import { FunctionError, RegionalFunctionRuntime } from '../../src/lambda/function-runtime';

/** A bundle the way esbuild writes one: CommonJS, `@aws-sdk/*` external, reading its settings from process.env. */
const BUNDLE = `
const { SNSClient } = require('@aws-sdk/client-sns');
let calls = 0;
exports.handler = async (event, context) => {
  calls++;
  process.stdout.write(JSON.stringify({ event: 'seen', fn: process.env.AWS_LAMBDA_FUNCTION_NAME, only: process.env.ONLY_MINE ?? null }) + '\\n');
  console.log('plain text line');
  if (event.fail) throw Object.assign(new Error('asked to fail'), { name: 'PlannedFailure' });
  if (event.sleepMs) await new Promise((r) => setTimeout(r, event.sleepMs));
  return { calls, region: process.env.AWS_REGION, only: process.env.ONLY_MINE ?? null, sdk: typeof SNSClient, remaining: context.getRemainingTimeInMillis() > 0 };
};`;

function spec(dir: string, name: string, environment: Record<string, string>, timeoutSeconds = 3): FunctionSpec {
  return {
    region: 'eu-west-1',
    where: `test/${name}`,
    name,
    arn: `arn:aws:lambda:eu-west-1:000000000000:function:${name}`,
    assetDirectory: dir,
    handler: 'index.handler',
    timeoutSeconds,
    memoryMb: 128,
    environment,
    logGroupName: `/aws/lambda/${name}`,
    logFormat: 'JSON',
  };
}

describe('a region of functions in one worker thread', () => {
  const logs: { group: string; message: string }[] = [];
  let runtime: RegionalFunctionRuntime;
  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-'));
    fs.writeFileSync(path.join(dir, 'index.js'), BUNDLE);
    runtime = new RegionalFunctionRuntime(
      'eu-west-1',
      [spec(dir, 'first', { ONLY_MINE: 'first' }), spec(dir, 'second', {}, 1)],
      { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' },
      { append: (group, events) => events.forEach((e) => logs.push({ group, message: e.message })) },
    );
    await runtime.started();
  });
  afterAll(() => runtime.stop());

  it("gives each function its own environment and module state, and the region's to the SDK", async () => {
    expect(await runtime.invoke('first', {})).toEqual({
      calls: 1,
      region: 'eu-west-1',
      only: 'first',
      sdk: 'function',
      remaining: true,
    });
    expect(await runtime.invoke('first', {})).toMatchObject({ calls: 2 });
    expect(await runtime.invoke('second', {})).toEqual({
      calls: 1,
      region: 'eu-west-1',
      only: null,
      sdk: 'function',
      remaining: true,
    });
  });

  it("writes each function's lines to its log group, wrapping plain text as Lambda's JSON log format does", async () => {
    await runtime.invoke('second', {});
    await runtime.flushLogs();
    const mine = logs.filter((l) => l.group === '/aws/lambda/second').map((l) => JSON.parse(l.message));
    expect(mine).toContainEqual({ event: 'seen', fn: 'second', only: null });
    expect(mine).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'plain text line' }));
    expect(logs.filter((l) => l.group === '/aws/lambda/first').length).toBeGreaterThan(0);
  });

  it("rejects with the handler's error type, and with Sandbox.Timedout past the timeout", async () => {
    await expect(runtime.invoke('first', { fail: true })).rejects.toMatchObject({
      name: 'PlannedFailure',
      message: 'asked to fail',
    });
    await expect(runtime.invoke('second', { sleepMs: 1500 })).rejects.toMatchObject({ name: 'Sandbox.Timedout' });
    await expect(runtime.invoke('third', {})).rejects.toBeInstanceOf(FunctionError);
  });
});
