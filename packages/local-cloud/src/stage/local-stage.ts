import { randomBytes } from 'node:crypto';
import {
  DescribeTableCommand,
  DynamoDBClient,
  UpdateItemCommand,
  UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { FlagReader, RedisClient, connectRedis, createFlagCache, createFlagReader } from '@ffc/cache';
import { readCloudAssembly } from '../assembly/cloud-assembly';
import { EventSourceMappingSpec, FunctionSpec, StageModel, buildStageModel } from '../assembly/stage-model';
import { InsightsService, LogStore } from '../cloudwatch';
import {
  GlobalTableReplication,
  createReplicaTables,
  deleteReplicaTables,
  dynamoClient,
  startGlobalTableReplication,
} from '../dynamodb';
import { LocalCloudError, NotEmulatedError } from '../errors';
import { resetAuditIndex } from './audit-index';
import { DeliveryFaultEffect, FaultableEngine, StreamFault } from './faults';
import { waitUntilIdle } from './idle';
import { EventBuses, Queues, Topics } from './messaging';
import { StageObserver } from './observer';
import { applyRedisUsers } from './redis-users';
import { LocalStateMachine } from './step-functions';
import { TcpProxy } from './tcp-proxy';
import { compileEventPattern } from '../events/event-pattern';
import { Gateway, gatewayEnvironment, startGateway } from '../gateway';
import { FunctionError, RegionalFunctionRuntime } from '../lambda/function-runtime';
import { startSqsEventSource } from '../lambda/sqs-event-source';
import { startStreamEventSource } from '../lambda/stream-event-source';
import { LocalQueue } from '../sqs';

/** The local engines a stage runs on (tools/engines `cloud` and `opensearch`). */
export interface StageEngines {
  /** DynamoDB Local keeping one database per region. */
  readonly dynamodbEndpoint: string;
  /** One Redis per region, in the order of the stage's regions. */
  readonly redisPorts: readonly number[];
  readonly opensearchUrl: string;
}

export interface LocalStageOptions {
  /** A synthesised cloud assembly (`cdk.out`). */
  readonly assemblyDirectory: string;
  readonly stage: string;
  readonly engines: StageEngines;
  /** Global-table replication lag, per pair of regions if a function. @default 0 */
  readonly replicationLagMs?: number | ((from: string, to: string) => number);
  /** Scales Wait states (1 = as synthesised). @default 1 */
  readonly waitScale?: number;
  /** Stream and replication polling interval. @default 25 */
  readonly pollIntervalMs?: number;
  /** Simulated services (readers of @ffc/cache) per region. @default true */
  readonly services?: boolean;
  /**
   * Reach OpenSearch and every region's Redis through a loopback proxy, so `cutEngine` can take one away
   * from this stage alone (the engines stay up for everyone else). @default false
   */
  readonly faultInjection?: boolean;
}

/** One fan-out delivery that fails: the cache updater's invocation for it reports the message as failed. */
export interface DeliveryFault {
  readonly region: string;
  readonly service: string;
  readonly matches: (message: { flagKey?: string; version?: number }) => boolean;
  /** @default 'fail' */
  readonly effect?: DeliveryFaultEffect;
  /** For `delay`. @default 2 */
  readonly delaySeconds?: number;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const quietLogger = { info: () => undefined, warn: () => undefined };

/** A stage running on this machine: read from its cloud assembly, wired as its templates say. */
export class LocalStage {
  static async start(options: LocalStageOptions): Promise<LocalStage> {
    const stage = new LocalStage(options);
    try {
      await stage.startAll();
    } catch (error) {
      await stage.stop();
      throw error;
    }
    return stage;
  }

  readonly observer = new StageObserver();
  /** CloudWatch Logs is regional: the same log group name in two regions is two log groups. */
  private readonly logStores = new Map<string, LogStore>();
  /** Services of each region (from the fan-out queues the cache updater consumes). */
  readonly services = new Map<string, string[]>();
  readonly readers = new Map<string, FlagReader[]>();
  private readonly stoppers: (() => Promise<void> | void)[] = [];
  private readonly runtimes = new Map<string, RegionalFunctionRuntime>();
  private readonly insights = new Map<string, InsightsService>();
  private readonly machines = new Map<string, LocalStateMachine>();
  private readonly secrets = new Map<string, string>();
  private readonly redis = new Map<string, RedisClient>();
  /** Fan-out deliveries failing on purpose (the demo's failing service), checked at every delivery. */
  readonly faults: DeliveryFault[] = [];
  /** Validator stream records failing or replayed on purpose, checked at every invocation. */
  readonly streamFaults: StreamFault[] = [];
  /** Extra replication lag into a region's replica (one replica behind), read at every replicated write. */
  readonly replicaDelayMs = new Map<string, number>();
  private readonly proxies = new Map<string, TcpProxy>();
  /** Messages a delivery fault sent (a duplicate, a held-back message): never faulted again. */
  private readonly faultCopies = new Set<string>();
  private gateway?: Gateway;
  /** What idle() waits for: the event sources, the replications, the queues the sources consume, the invocations. */
  private readonly eventSources: { idle(): Promise<void> }[] = [];
  private readonly replications: GlobalTableReplication[] = [];
  private readonly consumedQueues: LocalQueue[] = [];
  private readonly invocationCounts = { started: 0, running: 0 };
  model!: StageModel;
  queues!: Queues;
  topics!: Topics;
  private buses!: EventBuses;

  private constructor(readonly options: LocalStageOptions) {}

  /** One region's CloudWatch Logs. */
  logs(region: string): LogStore {
    const store = this.logStores.get(region);
    if (!store) throw new LocalCloudError(`the stage has no region ${region}`);
    return store;
  }

  get regions(): readonly string[] {
    return this.model.regions;
  }

  get primaryRegion(): string {
    return this.model.regions[0];
  }

  get tableName(): string {
    return this.model.globalTables[0].tableName;
  }

  /** A DynamoDB client of one region's replica. */
  dynamo(region: string): DynamoDBClient {
    return dynamoClient({ endpoint: this.options.engines.dynamodbEndpoint, credentials: LOCAL_CREDENTIALS }, region);
  }

  redisUrl(region: string): string {
    const proxy = this.proxies.get(`redis:${region}`);
    if (proxy) return `redis://127.0.0.1:${proxy.port}`;
    const index = this.model.regions.indexOf(region);
    const port = this.options.engines.redisPorts[index];
    if (port === undefined) {
      throw new LocalCloudError(
        `no local Redis for region ${region} (${this.options.engines.redisPorts.length} started)`,
      );
    }
    return `redis://127.0.0.1:${port}`;
  }

  /**
   * Takes an engine away from this stage for `ms` (needs `faultInjection`): every open connection dropped,
   * new ones refused, then reachable again — OpenSearch stopped, or a region's Redis restarted (its data
   * kept, as a replica failover or a persisted restart would). Resolves when the engine is back.
   */
  cutEngine(engine: FaultableEngine, ms: number): Promise<void> {
    const name = engine === 'opensearch' ? engine : `redis:${engine.redis}`;
    const proxy = this.proxies.get(name);
    if (!proxy) {
      throw new LocalCloudError(`no proxy for ${name}: start the stage with faultInjection (and a region it has)`);
    }
    return proxy.outage(ms);
  }

  /** Holds `slots` of a region's Logs Insights concurrency quota until the returned release is called. */
  occupyLogsQueries(region: string, slots: number): () => void {
    return this.insightsOf(region).occupy(slots);
  }

  /** The most Logs Insights queries (and held slots) running at once in a region since the stage started. */
  maxConcurrentLogsQueries(region: string): number {
    return this.insightsOf(region).maxConcurrentQueriesObserved;
  }

  /** How many Logs Insights queries a region has started since the stage started. */
  logsQueriesStarted(region: string): number {
    return this.insightsOf(region).describeQueries().length;
  }

  private insightsOf(region: string): InsightsService {
    const insights = this.insights.get(region);
    if (!insights) throw new LocalCloudError(`the stage has no region ${region}`);
    return insights;
  }

  private async startProxy(name: string, host: string, port: number): Promise<TcpProxy> {
    const proxy = await TcpProxy.start({ host, port });
    this.proxies.set(name, proxy);
    this.stoppers.push(() => proxy.close());
    return proxy;
  }

  private async startAll(): Promise<void> {
    const { options } = this;
    const stacks = readCloudAssembly(options.assemblyDirectory);
    this.gateway = await startGateway(this.gatewayBackend());
    this.stoppers.push(() => this.gateway?.close());
    const topRegions = [...new Set(stacks.filter((s) => !s.parent).map((s) => s.region))];
    if (topRegions.length > options.engines.redisPorts.length) {
      throw new LocalCloudError(
        `the stage has ${topRegions.length} regions but ${options.engines.redisPorts.length} local Redis servers`,
      );
    }
    let opensearchUrl = options.engines.opensearchUrl;
    if (options.faultInjection) {
      const url = new URL(opensearchUrl);
      const proxy = await this.startProxy('opensearch', url.hostname, Number(url.port));
      url.port = String(proxy.port);
      opensearchUrl = url.toString().replace(/\/$/, '');
      for (const [i, region] of topRegions.entries()) {
        await this.startProxy(`redis:${region}`, '127.0.0.1', options.engines.redisPorts[i]);
      }
    }
    this.model = buildStageModel(stacks, options.assemblyDirectory, {
      gatewayUrl: this.gateway.url,
      redisUrl: (region) =>
        this.proxies.has(`redis:${region}`)
          ? `redis://127.0.0.1:${this.proxies.get(`redis:${region}`)!.port}`
          : `redis://127.0.0.1:${options.engines.redisPorts[topRegions.indexOf(region)]}`,
      opensearchUrl,
    });
    const model = this.model;
    if (model.globalTables.length !== 1) {
      throw new LocalCloudError(`expected one global table, the stage has ${model.globalTables.length}`);
    }

    // An empty audit history with the index template a deployment installs: readable from the first event.
    await resetAuditIndex(options.engines.opensearchUrl, options.stage);
    const local = { endpoint: options.engines.dynamodbEndpoint, credentials: LOCAL_CREDENTIALS };
    for (const table of model.globalTables) {
      // A local stage starts empty, like a freshly deployed one: no history of an earlier run to replay.
      await deleteReplicaTables({ ...local, regions: table.regions, tableName: table.tableName });
      await createReplicaTables({ ...local, regions: table.regions, table: { ...table } as never });
      const replication = startGlobalTableReplication({
        ...local,
        tableName: table.tableName,
        regions: table.regions,
        lagMs: (from, to) => {
          const lag = options.replicationLagMs ?? 0;
          return (typeof lag === 'function' ? lag(from, to) : lag) + (this.replicaDelayMs.get(to) ?? 0);
        },
        pollIntervalMs: options.pollIntervalMs ?? 25,
        onError: (error) => this.observer.error('replication', error),
      });
      this.stoppers.push(() => replication.stop());
      this.replications.push(replication);
    }

    for (const secret of model.secrets) {
      this.secrets.set(secret.arn, randomBytes(24).toString('hex').slice(0, secret.passwordLength));
    }
    await applyRedisUsers(
      model.redisUsers,
      (region) => this.redisUrl(region),
      (arn) => this.secrets.get(arn),
    );
    this.queues = new Queues(model.queues);
    this.stoppers.push(() => this.queues.close());
    this.topics = new Topics(model, this.queues);
    this.buses = new EventBuses(model, this.queues, stacks[0].account);

    for (const region of model.regions) {
      const store = new LogStore();
      this.logStores.set(region, store);
      this.insights.set(region, new InsightsService({ store }));
      for (const group of model.logGroups.filter((g) => g.region === region)) store.createGroup(group.name);
    }
    this.stoppers.push(() => this.insights.forEach((service) => service.close()));
    const integrations = this.taskIntegrations();
    for (const spec of model.stateMachines) {
      this.machines.set(spec.arn, new LocalStateMachine(spec, integrations, options.waitScale ?? 1));
    }

    // Only functions something emulated invokes are loaded: event sources and state machines.
    const invoked = new Set([
      ...model.eventSourceMappings.map((m) => `${m.region}/${m.functionName}`),
      ...model.stateMachines.flatMap((m) =>
        [...JSON.stringify(m.definition).matchAll(/function:([A-Za-z0-9_-]+)/g)].map((x) => `${m.region}/${x[1]}`),
      ),
    ]);
    const regionEnvironment = {
      ...gatewayEnvironment(this.gateway),
      AWS_ENDPOINT_URL_DYNAMODB: options.engines.dynamodbEndpoint,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_EMF_ENVIRONMENT: 'Local',
    };
    for (const region of model.regions) {
      const functions = model.functions.filter((f) => f.region === region && invoked.has(`${region}/${f.name}`));
      const runtime = new RegionalFunctionRuntime(region, functions, regionEnvironment, this.logs(region));
      this.runtimes.set(region, runtime);
      this.stoppers.push(() => runtime.stop());
    }
    await Promise.all([...this.runtimes.values()].map((r) => r.started()));

    if (options.services !== false) await this.startServices();
    for (const mapping of model.eventSourceMappings) await this.startEventSource(mapping);
  }

  private functionOf(region: string, nameOrArn: string): FunctionSpec {
    const name = nameOrArn.startsWith('arn:') ? nameOrArn.split(':')[6] : nameOrArn;
    const fn = this.model.functions.find((f) => f.region === region && f.name === name);
    if (!fn) throw Object.assign(new Error(`Function not found: ${nameOrArn}`), { name: 'ResourceNotFoundException' });
    return fn;
  }

  async invoke(region: string, nameOrArn: string, event: unknown): Promise<unknown> {
    const fn = this.functionOf(region, nameOrArn);
    const started = Date.now();
    this.invocationCounts.started += 1;
    this.invocationCounts.running += 1;
    try {
      return await this.runtimes.get(region)!.invoke(fn.name, event);
    } finally {
      this.invocationCounts.running -= 1;
      this.observer.invoked(region, fn.name, event, started, Date.now());
    }
  }

  private async startServices(): Promise<void> {
    for (const mapping of this.model.eventSourceMappings) {
      if (mapping.kind !== 'sqs') continue;
      const fn = this.functionOf(mapping.region, mapping.functionName);
      const prefix = fn.environment.QUEUE_NAME_PREFIX;
      if (!prefix) continue;
      const queue = this.queues.arn(mapping.eventSourceArn, mapping.where);
      const list = this.services.get(mapping.region) ?? [];
      list.push(queue.settings.name.slice(prefix.length));
      this.services.set(mapping.region, list);
    }
    for (const [region, services] of this.services) {
      const redis = connectRedis({ url: this.redisUrl(region) } as never);
      this.redis.set(region, redis);
      // Empty caches, as in a new stage; other stages on the same server keep theirs (keys are per stage).
      await createFlagCache({ redis, stage: this.options.stage }).clear();
      this.stoppers.push(() => void redis.disconnect());
      const readersRedis = this.readersConnection(region) ?? redis;
      const readers = services.map((service) =>
        createFlagReader({
          redis: readersRedis,
          stage: this.options.stage,
          service,
          region,
          instanceId: `${service}.${region}.local`,
          logger: quietLogger,
        }),
      );
      this.readers.set(region, readers);
      for (const reader of readers) {
        reader.subscribe((event) => {
          if (event.type === 'changed') {
            for (const entry of event.entries) {
              this.observer.served(region, reader.service, entry.flagKey, entry.version);
            }
          }
        });
      }
      await Promise.all(readers.map((r) => r.start()));
      this.stoppers.unshift(() => Promise.all(readers.map((r) => r.close())).then(() => undefined));
    }
  }

  /** The services read as the stage's readers' Redis user (its RBAC role), if the templates have one. */
  private readersConnection(region: string): RedisClient | undefined {
    const user = this.model.redisUsers.find((u) => u.region === region && u.role === 'readers');
    if (!user) return undefined;
    const redis = connectRedis({
      url: this.redisUrl(region),
      username: user.userName,
      password: this.secrets.get(user.passwordSecretArns[0]),
    });
    // Closed before the proxies stop (the readers close first): it would reconnect into a closed port.
    this.stoppers.unshift(() => void redis.disconnect());
    return redis;
  }

  private async startEventSource(mapping: EventSourceMappingSpec): Promise<void> {
    const fn = this.functionOf(mapping.region, mapping.functionName);
    if (mapping.kind === 'sqs') {
      const queue = this.queues.arn(mapping.eventSourceArn, mapping.where);
      const prefix = fn.environment.QUEUE_NAME_PREFIX;
      const faultsHere = () =>
        this.faults.filter(
          (f) => f.region === mapping.region && prefix && queue.settings.name === `${prefix}${f.service}`,
        );
      const source = startSqsEventSource(
        {
          queue,
          batchSize: mapping.batchSize,
          maximumBatchingWindowSeconds: mapping.maximumBatchingWindowSeconds,
          maximumConcurrency: mapping.maximumConcurrency,
          reportBatchItemFailures: mapping.reportBatchItemFailures,
          enabled: mapping.enabled,
          functionTimeoutSeconds: fn.timeoutSeconds,
        },
        async (event) => {
          const faults = faultsHere();
          if (faults.length === 0) return this.invoke(mapping.region, fn.name, event);
          // A copy a fault sent is delivered as it is: faulting it again would duplicate or delay it forever.
          const copies = event.Records.filter((r) => this.faultCopies.delete(r.messageId));
          const matching = (effect: DeliveryFaultEffect) =>
            event.Records.filter(
              (r) =>
                !copies.includes(r) &&
                faults.some((f) => (f.effect ?? 'fail') === effect && f.matches(safeJson(r.body))),
            );
          const delayed = matching('delay');
          for (const record of [...delayed, ...matching('duplicate')]) {
            const delay = faults.find((f) => f.effect === 'delay' && f.matches(safeJson(record.body)));
            const copy = queue.send({
              body: record.body,
              delaySeconds: delayed.includes(record) ? (delay?.delaySeconds ?? 2) : 0,
            });
            this.faultCopies.add(copy.messageId);
          }
          // A held-back message is acknowledged here: its copy, sent with a delay, is the one delivered.
          const failing = matching('fail');
          const rest = event.Records.filter((r) => !failing.includes(r) && !delayed.includes(r));
          const response = rest.length
            ? ((await this.invoke(mapping.region, fn.name, { Records: rest })) as {
                batchItemFailures?: { itemIdentifier: string }[];
              })
            : {};
          return {
            batchItemFailures: [
              ...(response?.batchItemFailures ?? []),
              ...failing.map((r) => ({ itemIdentifier: r.messageId })),
            ],
          };
        },
        { onError: (error: Error) => this.observer.error(mapping.where, error) },
      );
      this.stoppers.unshift(() => source.stop());
      this.eventSources.push(source);
      this.consumedQueues.push(queue);
      return;
    }
    const client = this.dynamo(mapping.region);
    const tableName = /:table\/([^/]+)\/stream\//.exec(mapping.eventSourceArn)?.[1];
    const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const streamArn = described.Table?.LatestStreamArn;
    if (!streamArn) {
      throw new NotEmulatedError(
        mapping.where,
        `a stream source on ${tableName}, which has no stream in ${mapping.region}`,
      );
    }
    const filters = mapping.filterPatterns.map((p, i) =>
      compileEventPattern(p, `${mapping.where}.FilterCriteria[${i}]`),
    );
    const onFailure = mapping.onFailureArn ? this.queues.arn(mapping.onFailureArn, mapping.where) : undefined;
    const source = startStreamEventSource(
      {
        streams: new DynamoDBStreamsClient({
          endpoint: this.options.engines.dynamodbEndpoint,
          region: mapping.region,
          credentials: LOCAL_CREDENTIALS,
        }),
        streamArn,
        region: mapping.region,
        batchSize: mapping.batchSize,
        startingPosition: mapping.startingPosition ?? 'LATEST',
        maximumBatchingWindowSeconds: mapping.maximumBatchingWindowSeconds,
        bisectBatchOnFunctionError: mapping.bisectBatchOnFunctionError,
        maximumRetryAttempts: mapping.maximumRetryAttempts,
        maximumRecordAgeSeconds: mapping.maximumRecordAgeSeconds,
        reportBatchItemFailures: mapping.reportBatchItemFailures,
        pollIntervalMs: this.options.pollIntervalMs ?? 25,
        enabled: mapping.enabled,
        functionTimeoutSeconds: fn.timeoutSeconds,
        functionArn: fn.arn,
        onFailure: onFailure
          ? async (record: object) => void onFailure.send({ body: JSON.stringify(record) })
          : undefined,
      },
      async (event) => {
        // Lambda event filtering: records that match no filter are consumed without an invocation.
        const records = filters.length ? event.Records.filter((r) => filters.some((f) => f.matches(r))) : event.Records;
        this.observer.streamDelivered(mapping.region, records);
        if (records.length === 0) return { batchItemFailures: [] };
        const faults = this.streamFaults.filter((f) => f.region === mapping.region && records.some(f.matches));
        if (faults.some((f) => f.effect === 'crash')) {
          this.observer.invoked(mapping.region, fn.name, { ...event, Records: records }, Date.now(), Date.now());
          throw new FunctionError(fn.name, 'Runtime.OutOfMemory', 'a stream fault crashed the function on this batch');
        }
        const invocation = { ...event, Records: records };
        for (const fault of faults) {
          // A replay is another delivery of records already handled: its response goes nowhere.
          setTimeout(
            () =>
              void this.invoke(mapping.region, fn.name, invocation).catch((e) => this.observer.error(mapping.where, e)),
            fault.delayMs ?? 1000,
          ).unref();
        }
        return this.invoke(mapping.region, fn.name, invocation);
      },
      { onError: (error: Error) => this.observer.error(mapping.where, error) },
    );
    this.stoppers.unshift(() => source.stop());
    this.eventSources.push(source);
    // LATEST starts at the shard iterators: a write before they exist would never reach the function.
    await source.ready();
  }

  private taskIntegrations() {
    return {
      invokeFunction: async (region: string, nameOrArn: string, payload: unknown) => {
        try {
          return await this.invoke(region, nameOrArn, payload);
        } catch (error) {
          // A function's error reaches the state machine under the function's error type.
          if (error instanceof FunctionError) throw Object.assign(new Error(error.message), { name: error.name });
          throw error;
        }
      },
      awsSdk: async (region: string, service: string, action: string, parameters: Record<string, any>) => {
        const insights = this.insights.get(region)!;
        if (service === 'cloudwatchlogs' && action === 'startQuery') {
          const { queryId } = insights.startQuery({
            logGroupNames: parameters.LogGroupNames,
            logGroupName: parameters.LogGroupName,
            queryString: parameters.QueryString,
            startTime: parameters.StartTime,
            endTime: parameters.EndTime,
            limit: parameters.Limit,
          });
          return { QueryId: queryId };
        }
        if (service === 'cloudwatchlogs' && action === 'getQueryResults') {
          // Lines written before the query ran must be visible to it, as ingestion would make them.
          await Promise.all([...this.runtimes.values()].map((r) => r.flushLogs()));
          const results = insights.getQueryResults({ queryId: parameters.QueryId });
          return { Status: results.status, Results: results.results, Statistics: results.statistics };
        }
        throw new NotEmulatedError(`state machine in ${region}`, `the SDK integration ${service}:${action}`);
      },
      optimised: async (region: string, service: string, action: string, parameters: Record<string, any>) => {
        if (service === 'dynamodb' && action === 'updateItem') {
          const output = await this.dynamo(region).send(new UpdateItemCommand(parameters as UpdateItemCommandInput));
          this.observer.verificationRecorded(region, parameters);
          return { Attributes: output.Attributes ?? {} };
        }
        if (service === 'sns' && action === 'publish') {
          const message =
            typeof parameters.Message === 'string' ? parameters.Message : JSON.stringify(parameters.Message);
          const { MessageId } = this.topics.publish({
            TopicArn: parameters.TopicArn,
            Message: message,
            Subject: parameters.Subject,
          });
          this.observer.alert(region, parameters.Subject, message);
          return { MessageId };
        }
        throw new NotEmulatedError(`state machine in ${region}`, `the integration ${service}:${action}`);
      },
    };
  }

  private gatewayBackend() {
    const secretValue = (id: string) => {
      const match = [...this.secrets.entries()].find(([arn]) => arn === id || arn.includes(`:secret:${id}-`));
      if (!match) {
        throw Object.assign(new Error("Secrets Manager can't find the specified secret."), {
          name: 'ResourceNotFoundException',
        });
      }
      return { ARN: match[0], Name: match[0].split(':secret:')[1], SecretString: match[1], VersionId: 'local' };
    };
    const machine = (arn: string) => {
      const found = this.machines.get(arn);
      if (!found) {
        throw Object.assign(new Error(`State Machine Does Not Exist: '${arn}'`), { name: 'StateMachineDoesNotExist' });
      }
      if (found.spec.type !== 'EXPRESS') {
        throw Object.assign(new Error('StartSyncExecution needs an EXPRESS state machine'), {
          name: 'StateMachineTypeNotSupported',
        });
      }
      return found;
    };
    return {
      sns: {
        publish: async (_ctx: unknown, input: any) => {
          const result = this.topics.publish(input);
          this.observer.published(input);
          return { MessageId: result.MessageId };
        },
      },
      sqs: {
        // SQS stamps SenderId from the signing identity, never from the message: the flag writer trusts it.
        sendMessage: async (ctx: { principalId: string }, input: any) => {
          const queue = this.queues.url(input.QueueUrl);
          const sent = queue.send({
            body: input.MessageBody,
            attributes: input.MessageAttributes,
            delaySeconds: input.DelaySeconds,
            senderId: ctx.principalId,
          });
          this.observer.sentToQueue(queue.name, [input.MessageBody]);
          return { MessageId: sent.messageId, MD5OfMessageBody: sent.md5OfBody };
        },
        sendMessageBatch: async (ctx: { principalId: string }, input: any) => {
          const queue = this.queues.url(input.QueueUrl);
          const Successful = (input.Entries as any[]).map((entry) => {
            const sent = queue.send({
              body: entry.MessageBody,
              attributes: entry.MessageAttributes,
              delaySeconds: entry.DelaySeconds,
              senderId: ctx.principalId,
            });
            return { Id: entry.Id, MessageId: sent.messageId, MD5OfMessageBody: sent.md5OfBody };
          });
          this.observer.sentToQueue(
            queue.name,
            (input.Entries as any[]).map((entry) => entry.MessageBody),
          );
          return { Successful, Failed: [] };
        },
      },
      events: {
        putEvents: async (ctx: { region: string }, input: any) => this.buses.putEvents(ctx.region, input.Entries ?? []),
      },
      sfn: {
        startSyncExecution: async (_ctx: unknown, input: any) =>
          machine(input.stateMachineArn).startSyncExecution(input.input, input.name),
      },
      secretsManager: { getSecretValue: async (_ctx: unknown, input: any) => secretValue(input.SecretId) },
    };
  }

  /**
   * Resolves, with the ms it waited, once the stage has nothing left to do: every stream read to its end, every
   * write replicated, every queue an event source consumes empty (nothing visible, in flight or delayed) and no
   * function running. Rejects with StageNotIdleError after `timeoutMs`.
   */
  idle(timeoutMs: number): Promise<number> {
    return waitUntilIdle(
      {
        sources: this.eventSources,
        replications: this.replications,
        invocations: () => this.invocationCounts,
        queuedMessages: () =>
          new Map(
            this.consumedQueues
              .filter((queue) => !queue.closed)
              .map((queue) => {
                const { visible, inFlight, delayed } = queue.counts();
                return [queue.name, visible + inFlight + delayed] as const;
              })
              .filter(([, count]) => count > 0),
          ),
      },
      timeoutMs,
    );
  }

  /** Stops everything this stage started, newest first; the engines stay up. */
  async stop(): Promise<void> {
    for (const stop of this.stoppers.splice(0)) {
      try {
        await stop();
      } catch (error) {
        this.observer.error('stop', error as Error);
      }
    }
  }
}

function safeJson(body: string): { flagKey?: string; version?: number } {
  try {
    return JSON.parse(body);
  } catch {
    return {};
  }
}
