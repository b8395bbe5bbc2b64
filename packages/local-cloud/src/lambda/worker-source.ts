/**
 * The code of one region's Lambda worker thread (evaluated, so it runs whether or not this package is
 * compiled). It loads each function's bundle as the Node.js runtime would — with that function's
 * environment, its own stdout/stderr feeding its log group — and answers invocations.
 */
import { HOST_ALIAS_SOURCE, HOST_PREFIXES } from '../gateway/host-prefix';

export const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { Console } = require('node:console');
const { Writable } = require('node:stream');
const { createRequire } = require('node:module');
const dns = require('node:dns');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

// Host prefixes (StartSyncExecution's "sync-") put a label before the gateway's host: the alias
// resolveHostPrefixes installs in the main thread (gateway/host-prefix.ts), for the gateway the endpoints name.
if (process.env.AWS_ENDPOINT_URL_SFN) {
  const gatewayHost = new URL(process.env.AWS_ENDPOINT_URL_SFN).hostname;
  const prefixes = ${JSON.stringify(HOST_PREFIXES)};
  ${HOST_ALIAS_SOURCE}(dns, new Map(prefixes.map((prefix) => [prefix + gatewayHost, gatewayHost])));
}

const pendingLogs = [];
let flushScheduled = false;
function flushLogs() {
  flushScheduled = false;
  if (pendingLogs.length) parentPort.postMessage({ type: 'logs', events: pendingLogs.splice(0) });
}
function logLine(fn, text, level) {
  let message = text;
  if (fn.logFormat === 'JSON' && !(text.startsWith('{') && text.endsWith('}'))) {
    message = JSON.stringify({ timestamp: new Date().toISOString(), level, message: text, requestId: fn.requestId });
  }
  pendingLogs.push({ logGroupName: fn.logGroupName, timestamp: Date.now(), message, logStreamName: fn.logStreamName });
  if (!flushScheduled) { flushScheduled = true; setImmediate(flushLogs); }
}
function lineStream(fn, level) {
  let partial = '';
  return new Writable({
    write(chunk, _encoding, done) {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop();
      for (const line of lines) if (line.length) logLine(fn, line, level);
      done();
    },
  });
}

const functions = new Map();
for (const spec of workerData.functions) {
  const [file, exportName] = spec.handler.split('.');
  const filename = path.join(spec.assetDirectory, file + '.js');
  const fn = { ...spec, requestId: undefined, logStreamName: spec.name + '/local' };
  const env = { ...process.env, ...spec.environment,
    AWS_LAMBDA_FUNCTION_NAME: spec.name, AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST', AWS_LAMBDA_LOG_GROUP_NAME: spec.logGroupName,
    AWS_LAMBDA_LOG_STREAM_NAME: fn.logStreamName, LAMBDA_TASK_ROOT: spec.assetDirectory, AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs_local' };
  const stdout = lineStream(fn, 'INFO');
  const stderr = lineStream(fn, 'ERROR');
  const own = { env, stdout, stderr };
  const processView = new Proxy(process, {
    get(target, property) {
      if (property in own) return own[property];
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const consoleView = new Console({ stdout, stderr });
  const module = { exports: {} };
  // External @aws-sdk/* resolve from the local cloud's own dependencies: the SDK the runtime provides.
  const requireFromRuntime = createRequire(workerData.sdkResolveFrom);
  const requireForBundle = (id) => {
    try { return createRequire(filename)(id); } catch { return requireFromRuntime(id); }
  };
  const wrapper = vm.compileFunction(fs.readFileSync(filename, 'utf8'),
    ['exports', 'require', 'module', '__filename', '__dirname', 'process', 'console'], { filename });
  wrapper(module.exports, requireForBundle, module, filename, spec.assetDirectory, processView, consoleView);
  const handler = module.exports[exportName];
  if (typeof handler !== 'function') throw new Error(spec.where + ': ' + filename + ' exports no function ' + exportName);
  functions.set(spec.name, { fn, handler });
}

let invocation = 0;
parentPort.on('message', async (message) => {
  if (message.type === 'flush') { flushLogs(); parentPort.postMessage({ type: 'flushed', id: message.id }); return; }
  const { id, functionName, event } = message;
  const entry = functions.get(functionName);
  if (!entry) { parentPort.postMessage({ type: 'result', id, error: { name: 'ResourceNotFoundException', message: 'Function not found: ' + functionName } }); return; }
  const { fn, handler } = entry;
  const requestId = 'local-' + process.pid + '-' + (++invocation);
  fn.requestId = requestId;
  const deadline = Date.now() + fn.timeoutSeconds * 1000;
  const context = { functionName: fn.name, functionVersion: '$LATEST', invokedFunctionArn: fn.arn, memoryLimitInMB: String(fn.memoryMb),
    awsRequestId: requestId, logGroupName: fn.logGroupName, logStreamName: fn.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()), callbackWaitsForEmptyEventLoop: true };
  let timer;
  try {
    const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(Object.assign(new Error('Task timed out after ' + fn.timeoutSeconds + '.00 seconds'), { name: 'Sandbox.Timedout' })), fn.timeoutSeconds * 1000); });
    const result = await Promise.race([Promise.resolve().then(() => handler(event, context)), timeout]);
    parentPort.postMessage({ type: 'result', id, result: result === undefined ? null : result });
  } catch (error) {
    const name = (error && error.name) || 'Error';
    const text = (error && error.message) || String(error);
    logLine(fn, JSON.stringify({ timestamp: new Date().toISOString(), level: 'ERROR', requestId, errorType: name, errorMessage: text }), 'ERROR');
    parentPort.postMessage({ type: 'result', id, error: { name, message: text } });
  } finally { clearTimeout(timer); }
});
parentPort.postMessage({ type: 'ready', functions: [...functions.keys()] });
`;
