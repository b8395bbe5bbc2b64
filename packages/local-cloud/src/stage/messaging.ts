import { randomUUID } from 'node:crypto';
import { QueueSpec, RuleSpec, StageModel, SubscriptionSpec } from '../assembly/stage-model';
import { NotEmulatedError } from '../errors';
import { compileEventPattern, CompiledEventPattern } from '../events/event-pattern';
import { CompiledFilterPolicy, SnsMessageAttribute, compileFilterPolicy } from '../sns/filter-policy';
import { LocalQueue } from '../sqs';

/** AWS's per-topic default: 200 filter policies (the account has 10,000). */
const FILTER_POLICIES_PER_TOPIC = 200;

/** The stage's queues by ARN and by URL, dead-letter queues linked as their redrive policies say. */
export class Queues {
  private readonly byArn = new Map<string, LocalQueue>();
  private readonly byUrl = new Map<string, LocalQueue>();

  constructor(specs: readonly QueueSpec[]) {
    const pending = [...specs];
    // Dead-letter queues first: a queue's redrive needs its target.
    while (pending.length > 0) {
      const ready = pending.findIndex((q) => !q.redrive || this.byArn.has(q.redrive.deadLetterTargetArn));
      if (ready < 0) {
        const q = pending[0];
        throw new NotEmulatedError(
          q.where,
          `a redrive policy to ${q.redrive!.deadLetterTargetArn}, which is not a queue of the stage`,
        );
      }
      const [spec] = pending.splice(ready, 1);
      const queue = new LocalQueue({
        name: spec.name,
        arn: spec.arn,
        url: spec.url,
        region: spec.region,
        visibilityTimeoutSeconds: spec.visibilityTimeoutSeconds,
        messageRetentionSeconds: spec.messageRetentionSeconds,
        delaySeconds: spec.delaySeconds,
        maximumMessageSizeBytes: spec.maximumMessageSizeBytes,
        redrive: spec.redrive
          ? {
              deadLetterQueue: this.byArn.get(spec.redrive.deadLetterTargetArn)!,
              maxReceiveCount: spec.redrive.maxReceiveCount,
            }
          : undefined,
      });
      this.byArn.set(spec.arn, queue);
      this.byUrl.set(spec.url, queue);
    }
  }

  arn(arn: string, where = 'the stage'): LocalQueue {
    const queue = this.byArn.get(arn);
    if (!queue) throw Object.assign(new Error(`${where}: no queue ${arn}`), { name: 'QueueDoesNotExist' });
    return queue;
  }

  url(url: string): LocalQueue {
    const queue = this.byUrl.get(url) ?? [...this.byUrl.values()].find((q) => url.endsWith(`/${q.settings.name}`));
    if (!queue) {
      throw Object.assign(new Error(`The specified queue does not exist: ${url}`), { name: 'QueueDoesNotExist' });
    }
    return queue;
  }

  all(): LocalQueue[] {
    return [...this.byArn.values()];
  }

  close(): void {
    for (const queue of this.byArn.values()) queue.close();
  }
}

interface Subscriber {
  readonly spec: SubscriptionSpec;
  readonly queue: LocalQueue;
  readonly filter?: CompiledFilterPolicy;
}

export interface PublishInput {
  readonly TopicArn: string;
  readonly Message: string;
  readonly Subject?: string;
  readonly MessageAttributes?: Record<string, SnsMessageAttribute>;
}

/** SNS topics delivering to their SQS subscriptions by filter policy, raw or in the SNS envelope. */
export class Topics {
  private readonly subscribers = new Map<string, Subscriber[]>();

  constructor(model: StageModel, queues: Queues) {
    for (const topic of model.topics) this.subscribers.set(topic.arn, []);
    for (const spec of model.subscriptions) {
      const list = this.subscribers.get(spec.topicArn);
      if (!list) {
        throw new NotEmulatedError(spec.where, `a subscription to ${spec.topicArn}, which is not a topic of the stage`);
      }
      const filter =
        spec.filterPolicy === undefined
          ? undefined
          : compileFilterPolicy(spec.filterPolicy, spec.filterPolicyScope, spec.where);
      list.push({ spec, queue: queues.arn(spec.queueArn, spec.where), filter });
    }
    for (const [arn, list] of this.subscribers) {
      const filtered = list.filter((s) => s.filter).length;
      if (filtered > FILTER_POLICIES_PER_TOPIC) {
        throw new NotEmulatedError(
          arn,
          `${filtered} filter policies on one topic (AWS allows ${FILTER_POLICIES_PER_TOPIC} by default)`,
        );
      }
    }
  }

  publish(input: PublishInput): { MessageId: string; delivered: number } {
    const subscribers = this.subscribers.get(input.TopicArn);
    if (!subscribers) throw Object.assign(new Error(`Topic does not exist: ${input.TopicArn}`), { name: 'NotFound' });
    const messageId = randomUUID();
    const attributes = input.MessageAttributes ?? {};
    const toFilter = { attributes, body: input.Message };
    let delivered = 0;
    for (const subscriber of subscribers) {
      if (subscriber.filter && !subscriber.filter.matches(toFilter)) continue;
      if (subscriber.spec.rawMessageDelivery) {
        subscriber.queue.send({ body: input.Message, attributes: sqsAttributes(attributes) });
      } else {
        subscriber.queue.send({ body: JSON.stringify(snsEnvelope(input, messageId)) });
      }
      delivered++;
    }
    return { MessageId: messageId, delivered };
  }
}

function sqsAttributes(attributes: Record<string, SnsMessageAttribute>) {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, a]) => [
      name,
      { DataType: a.DataType, StringValue: a.StringValue, BinaryValue: a.BinaryValue },
    ]),
  );
}

function snsEnvelope(input: PublishInput, messageId: string) {
  return {
    Type: 'Notification',
    MessageId: messageId,
    TopicArn: input.TopicArn,
    Subject: input.Subject,
    Message: input.Message,
    Timestamp: new Date().toISOString(),
    SignatureVersion: '1',
    MessageAttributes: Object.fromEntries(
      Object.entries(input.MessageAttributes ?? {}).map(([name, a]) => [
        name,
        { Type: a.DataType, Value: a.StringValue },
      ]),
    ),
  };
}

export interface PutEventsEntry {
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string;
  readonly EventBusName?: string;
  readonly Resources?: string[];
  readonly Time?: Date | string;
}

/** EventBridge buses: each event matched against the bus's rules, delivered to their SQS targets. */
export class EventBuses {
  private readonly rules = new Map<
    string,
    { spec: RuleSpec; pattern: CompiledEventPattern; targets: LocalQueue[] }[]
  >();

  constructor(
    model: StageModel,
    queues: Queues,
    private readonly account: string,
  ) {
    for (const bus of model.eventBuses) this.rules.set(`${bus.region}/${bus.name}`, []);
    for (const spec of model.rules) {
      const list = this.rules.get(`${spec.region}/${spec.eventBusName}`);
      if (!list) {
        throw new NotEmulatedError(
          spec.where,
          `a rule on the bus '${spec.eventBusName}', which the stage does not define`,
        );
      }
      if (!spec.enabled) continue;
      list.push({
        spec,
        pattern: compileEventPattern(spec.pattern, spec.where),
        targets: spec.targets.map((t) => queues.arn(t.arn, spec.where)),
      });
    }
  }

  putEvents(region: string, entries: readonly PutEventsEntry[]) {
    const results = entries.map((entry) => {
      const busName = busNameOf(entry.EventBusName ?? 'default');
      const rules = this.rules.get(`${region}/${busName}`);
      if (!rules) {
        return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${busName} does not exist.` };
      }
      let detail: unknown;
      try {
        detail = JSON.parse(entry.Detail ?? '{}');
      } catch {
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
      }
      const event = {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: this.account,
        time: new Date(entry.Time ?? Date.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region,
        resources: entry.Resources ?? [],
        detail,
      };
      for (const rule of rules) {
        if (!rule.pattern.matches(event)) continue;
        for (const target of rule.targets) target.send({ body: JSON.stringify(event) });
      }
      return { EventId: event.id };
    });
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  }
}

function busNameOf(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn.split('/').pop()! : nameOrArn;
}
