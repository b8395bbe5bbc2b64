import { randomUUID } from 'node:crypto';
import { QueueSpec, RuleSpec, RuleTargetSpec, StageModel, SubscriptionSpec } from '../assembly/stage-model';
import { LocalCloudError, NotEmulatedError } from '../errors';
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

/** An event as EventBridge delivers it to targets (the envelope of "Event structure reference"). */
interface BusEvent {
  readonly id: string;
  readonly region: string;
  readonly [field: string]: unknown;
}

/** Delivers one matched event to one target. */
type RuleDelivery = (event: BusEvent) => void;

/**
 * EventBridge buses: the ones the stage defines plus every region's default bus. Each event is matched against
 * its bus's rules and delivered to their targets: an SQS queue (the whole event, or its `InputPath` part), or
 * another bus — in this region or another, the cross-region delivery the audit forwarding uses.
 */
export class EventBuses {
  private readonly rules = new Map<
    string,
    { spec: RuleSpec; pattern: CompiledEventPattern; targets: RuleDelivery[] }[]
  >();

  constructor(
    model: StageModel,
    queues: Queues,
    private readonly account: string,
  ) {
    // "Every account has a default event bus" in every Region (EventBridge User Guide, "Event buses").
    for (const region of model.regions) this.rules.set(`${region}/default`, []);
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
        targets: spec.targets.map((target, i) => this.delivery(spec, target, queues, `${spec.where}.Targets[${i}]`)),
      });
    }
  }

  putEvents(region: string, entries: readonly PutEventsEntry[]) {
    const results = entries.map((entry) => {
      const busName = busNameOf(entry.EventBusName ?? 'default');
      if (!this.rules.has(`${region}/${busName}`)) {
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
      this.route(region, busName, event);
      return { EventId: event.id };
    });
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  }

  private route(region: string, busName: string, event: BusEvent): void {
    for (const rule of this.rules.get(`${region}/${busName}`) ?? []) {
      if (!rule.pattern.matches(event)) continue;
      for (const deliver of rule.targets) deliver(event);
    }
  }

  private delivery(spec: RuleSpec, target: RuleTargetSpec, queues: Queues, where: string): RuleDelivery {
    const deadLetters = target.deadLetterArn ? queues.arn(target.deadLetterArn, where) : undefined;
    const bus = /^arn:aws:events:([a-z0-9-]+):\d+:event-bus\/(.+)$/.exec(target.arn);
    if (!bus) {
      const queue = queues.arn(target.arn, where);
      const select = inputPathOf(target.inputPath, where);
      return (event) => void queue.send({ body: JSON.stringify(select(event)) });
    }
    if (target.inputPath !== undefined) throw new NotEmulatedError(where, 'InputPath on an event-bus target');
    const [, busRegion, busName] = bus;
    if (busRegion !== spec.region && target.roleArn === undefined) {
      // PutTargets refuses it: a bus in another Region is reached through a role of the rule's account.
      throw new LocalCloudError(
        `${where}: the event bus ${target.arn} is in another region, so the target needs a RoleArn`,
      );
    }
    // The event arrives as it was sent: same id, source, detail-type, detail, and the Region it originated in
    // ("region: identifies the AWS Region where the event originated", Event structure reference).
    return (event) => {
      if (this.rules.has(`${busRegion}/${busName}`)) return this.route(busRegion, busName, event);
      // Undeliverable: after EventBridge's retries, the dead-letter queue keeps it (without one, it is gone).
      deadLetters?.send({
        body: JSON.stringify(event),
        attributes: {
          TARGET_ARN: { DataType: 'String', StringValue: target.arn },
          ERROR_MESSAGE: { DataType: 'String', StringValue: `Event bus ${busName} does not exist in ${busRegion}.` },
        },
      });
    };
  }
}

/** The part of the event an `InputPath` selects; only plain `$.a.b` paths are emulated. */
function inputPathOf(path: string | undefined, where: string): (event: BusEvent) => unknown {
  if (path === undefined || path === '$') return (event) => event;
  if (!/^\$(\.[A-Za-z0-9_-]+)+$/.test(path)) throw new NotEmulatedError(where, `the InputPath ${path}`);
  const keys = path.split('.').slice(1);
  return (event) => keys.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], event);
}

function busNameOf(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn.split('/').pop()! : nameOrArn;
}
