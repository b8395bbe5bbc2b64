import { Worker } from 'node:worker_threads';
import { FunctionSpec } from '../assembly/stage-model';
import { LocalCloudError } from '../errors';
import { WORKER_SOURCE } from './worker-source';

/** An error a function returned, named as Lambda names it (the handler's error type). */
export class FunctionError extends Error {
  constructor(
    readonly functionName: string,
    name: string,
    message: string,
  ) {
    super(message);
    this.name = name;
  }
}

export interface LogSink {
  append(logGroupName: string, events: { timestamp: number; message: string; logStreamName?: string }[]): void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * One region's functions in one worker thread: the region-wide environment (AWS_REGION, endpoints,
 * credentials) is the thread's, each function's own variables are its bundle's. Invocations run
 * concurrently, as warm containers would; module state (clients, connections) persists between them.
 */
export class RegionalFunctionRuntime {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private readonly ready: Promise<void>;
  readonly invocations = new Map<string, number>();

  constructor(
    readonly region: string,
    readonly functions: readonly FunctionSpec[],
    regionEnvironment: Record<string, string>,
    logs: LogSink,
  ) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      env: { ...regionEnvironment, AWS_REGION: region, AWS_DEFAULT_REGION: region },
      workerData: { functions, sdkResolveFrom: __filename },
      stdout: false,
      stderr: false,
    });
    this.ready = new Promise((resolve, reject) => {
      const onError = (error: Error) =>
        reject(new LocalCloudError(`the functions of ${region} did not load: ${error.message}`));
      this.worker.once('error', onError);
      this.worker.on(
        'message',
        (message: {
          type: string;
          id?: number;
          result?: unknown;
          error?: { name: string; message: string };
          events?: never[];
        }) => {
          if (message.type === 'ready') {
            this.worker.off('error', onError);
            this.worker.on('error', (error) => this.failAll(error));
            resolve();
          } else if (message.type === 'logs') {
            for (const event of message.events ?? []) {
              const { logGroupName, ...rest } = event as { logGroupName: string; timestamp: number; message: string };
              logs.append(logGroupName, [rest]);
            }
          } else if (message.type === 'result' || message.type === 'flushed') {
            const pending = this.pending.get(message.id!);
            this.pending.delete(message.id!);
            if (!pending) return;
            if (message.error) pending.reject(new FunctionError('', message.error.name, message.error.message));
            else pending.resolve(message.result);
          }
        },
      );
    });
  }

  started(): Promise<void> {
    return this.ready;
  }

  has(functionName: string): boolean {
    return this.functions.some((f) => f.name === functionName);
  }

  /** Invokes synchronously (RequestResponse): resolves with the handler's result, rejects with its error. */
  async invoke(functionName: string, event: unknown): Promise<unknown> {
    if (!this.has(functionName)) {
      throw new FunctionError(
        functionName,
        'ResourceNotFoundException',
        `Function not found: ${functionName} in ${this.region}`,
      );
    }
    await this.ready;
    this.invocations.set(functionName, (this.invocations.get(functionName) ?? 0) + 1);
    return this.request({ type: 'invoke', functionName, event });
  }

  /** Resolves once every log line written so far has reached the log sink. */
  async flushLogs(): Promise<void> {
    await this.ready;
    await this.request({ type: 'flush' });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
    this.failAll(new LocalCloudError(`the functions of ${this.region} were stopped`));
  }

  private request(message: Record<string, unknown>): Promise<unknown> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
