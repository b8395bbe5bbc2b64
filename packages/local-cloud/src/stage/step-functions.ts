import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { StateMachineSpec } from '../assembly/stage-model';
import { NotEmulatedError } from '../errors';

/** What a Task state may call: the stage's own implementations of the integrations it uses. */
export interface TaskIntegrations {
  /** Invokes a function of the region by name or ARN; rejects with the function's error. */
  invokeFunction(region: string, functionNameOrArn: string, payload: unknown): Promise<unknown>;
  /** An AWS SDK integration (`arn:aws:states:::aws-sdk:<service>:<action>`), parameters and result in the API's shape. */
  awsSdk(region: string, service: string, action: string, parameters: Record<string, unknown>): Promise<unknown>;
  /** An optimised integration (`arn:aws:states:::<service>:<action>`) other than lambda:invoke. */
  optimised(region: string, service: string, action: string, parameters: Record<string, unknown>): Promise<unknown>;
}

export interface ExecutionResult {
  readonly executionArn: string;
  readonly status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
  readonly startDate: Date;
  readonly stopDate: Date;
}

/** Step Functions error names of an integration's errors, as the service prefixes them. */
const ERROR_PREFIX: Record<string, string> = {
  cloudwatchlogs: 'CloudWatchLogs',
  dynamodb: 'DynamoDB',
  sns: 'SNS',
  lambda: 'Lambda',
};

interface TaskState {
  readonly Type: string;
  readonly Resource?: string;
  readonly States?: Record<string, TaskState>;
  readonly ItemProcessor?: { States: Record<string, TaskState> };
  readonly Iterator?: { States: Record<string, TaskState> };
  readonly Branches?: { States: Record<string, TaskState> }[];
  readonly Seconds?: number;
}

function* statesOf(states: Record<string, TaskState>): Generator<[string, TaskState]> {
  for (const [name, state] of Object.entries(states)) {
    yield [name, state];
    for (const inner of [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])]) {
      if (inner) yield* statesOf(inner.States);
    }
  }
}

/**
 * Runs a synthesised state machine definition (JSONPath) with aws-local-stepfunctions, every Task bound to
 * the stage's integrations by its Resource. A Resource the local cloud does not implement is refused when
 * the machine is loaded, not when an execution reaches it.
 */
export class LocalStateMachine {
  private readonly machine: StateMachine;
  private readonly handlers: Record<string, (input: never) => Promise<never>> = {};
  private readonly waits: Record<string, number> = {};

  constructor(
    readonly spec: StateMachineSpec,
    integrations: TaskIntegrations,
    /** Scales the Wait states' durations (1 = as synthesised). */
    readonly waitScale = 1,
  ) {
    const states = (spec.definition as { States: Record<string, TaskState> }).States;
    for (const [name, state] of statesOf(states)) {
      if (state.Type === 'Wait' && waitScale !== 1 && typeof state.Seconds === 'number') {
        this.waits[name] = state.Seconds * 1000 * waitScale;
      }
      if (state.Type !== 'Task') continue;
      this.handlers[name] = this.bind(`${spec.where} state '${name}'`, String(state.Resource), integrations) as never;
    }
    this.machine = new StateMachine(spec.definition as never, { validationOptions: { checkArn: false } });
  }

  private bind(where: string, resource: string, integrations: TaskIntegrations) {
    const region = this.spec.region;
    const sdk = /^arn:aws:states:::aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)$/.exec(resource);
    const optimised = /^arn:aws:states:::([a-z0-9]+):([A-Za-z0-9]+)$/.exec(resource);
    const named = (service: string, call: () => Promise<unknown>) =>
      call().catch((error: Error) => {
        const prefix = ERROR_PREFIX[service] ?? service;
        throw Object.assign(new Error(error.message), {
          name: error.name.includes('.') ? error.name : `${prefix}.${error.name}`,
        });
      });
    if (/^arn:aws:lambda:[^:]+:[^:]+:function:/.test(resource)) {
      // A function ARN as the Resource: the payload is the state's input, the result is the function's.
      return (input: unknown) => integrations.invokeFunction(region, resource, input);
    }
    if (resource === 'arn:aws:states:::lambda:invoke') {
      return async (parameters: { FunctionName: string; Payload?: unknown }) => ({
        Payload: await integrations.invokeFunction(region, parameters.FunctionName, parameters.Payload ?? {}),
        StatusCode: 200,
        ExecutedVersion: '$LATEST',
      });
    }
    if (sdk) {
      const [, service, action] = sdk;
      return (parameters: Record<string, unknown>) =>
        named(service, () => integrations.awsSdk(region, service, action, parameters));
    }
    if (optimised && ['dynamodb', 'sns'].includes(optimised[1])) {
      const [, service, action] = optimised;
      return (parameters: Record<string, unknown>) =>
        named(service, () => integrations.optimised(region, service, action, parameters));
    }
    throw new NotEmulatedError(where, `the Task resource ${resource}`);
  }

  /** StartSyncExecution: runs to the end and reports like the API. */
  async startSyncExecution(input: string | undefined, name = randomUUID()): Promise<ExecutionResult> {
    const startDate = new Date();
    const executionArn = `${this.spec.arn.replace(':stateMachine:', ':express:')}:${name}:${randomUUID()}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(input ?? '{}');
    } catch {
      throw Object.assign(new Error('Invalid State Machine Execution Input: not JSON'), {
        name: 'InvalidExecutionInput',
      });
    }
    try {
      const execution = this.machine.run(parsed as never, {
        overrides: { taskResourceLocalHandlers: this.handlers as never, waitTimeOverrides: this.waits },
        context: {
          Execution: { Id: executionArn, Name: name, StartTime: startDate.toISOString(), Input: parsed },
        } as never,
      });
      const output = await execution.result;
      return { executionArn, status: 'SUCCEEDED', output: JSON.stringify(output), startDate, stopDate: new Date() };
    } catch (error) {
      const failure = error as Error & { cause?: unknown };
      return {
        executionArn,
        status: 'FAILED',
        error: failure.name,
        cause: String(failure.cause ?? failure.message),
        startDate,
        stopDate: new Date(),
      };
    }
  }
}
