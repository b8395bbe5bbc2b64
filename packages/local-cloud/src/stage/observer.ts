import type { DynamoDBRecord } from 'aws-lambda';

/** What happened to one version of one flag, region by region, as the local cloud saw it. */
export interface VersionTimeline {
  readonly flagKey: string;
  readonly version: number;
  writtenAt?: number;
  readonly streamDelivered: Map<string, number>;
  readonly published: Map<string, number>;
  /** region → service → when its reader first served this version (or newer). */
  readonly served: Map<string, Map<string, number>>;
  readonly verified: Map<string, number>;
}

export interface InvocationRecord {
  readonly region: string;
  readonly functionName: string;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly event: unknown;
}

/** Timestamps of every hop, taken where the local cloud hands work from one emulated service to the next. */
export class StageObserver {
  private readonly timelines = new Map<string, VersionTimeline>();
  /** region → service → flagKey → newest version served. */
  private readonly serving = new Map<string, Map<string, Map<string, number>>>();
  readonly invocations: InvocationRecord[] = [];
  readonly alerts: { region: string; subject?: string; message: string; at: number }[] = [];
  readonly errors: { where: string; message: string; at: number }[] = [];
  /** A reader that served a version lower than one it had already served: the invariant "versions only go up" broken. */
  readonly regressions: { region: string; service: string; flagKey: string; from: number; to: number; at: number }[] =
    [];
  /** Message bodies the stage's functions sent to each queue, by queue name (the audit hand-off among them). */
  readonly queueSends = new Map<string, string[]>();
  private listeners = new Set<() => void>();

  timeline(flagKey: string, version: number): VersionTimeline {
    const id = `${flagKey}#${version}`;
    let timeline = this.timelines.get(id);
    if (!timeline) {
      timeline = {
        flagKey,
        version,
        streamDelivered: new Map(),
        published: new Map(),
        served: new Map(),
        verified: new Map(),
      };
      this.timelines.set(id, timeline);
    }
    return timeline;
  }

  /** Every version seen so far, in the order first seen. */
  versions(): VersionTimeline[] {
    return [...this.timelines.values()];
  }

  written(flagKey: string, version: number, at = Date.now()): void {
    this.timeline(flagKey, version).writtenAt = at;
  }

  streamDelivered(region: string, records: readonly DynamoDBRecord[]): void {
    for (const record of records) {
      // The flag table's item layout: pk FLAG#<key>, a numeric version beside the document.
      const image = record.dynamodb?.NewImage;
      const flagKey = image?.pk?.S?.replace(/^FLAG#/, '');
      const version = Number(image?.version?.N);
      if (flagKey && Number.isInteger(version)) {
        setOnce(this.timeline(flagKey, version).streamDelivered, region, Date.now());
      }
    }
    this.changed();
  }

  published(input: { TopicArn: string; Message: string }): void {
    const region = input.TopicArn.split(':')[3];
    try {
      const { flagKey, version } = JSON.parse(input.Message) as { flagKey: string; version: number };
      setOnce(this.timeline(flagKey, version).published, region, Date.now());
    } catch {
      // Not a change message: nothing to time.
    }
    this.changed();
  }

  served(region: string, service: string, flagKey: string, version: number): void {
    const byService = this.serving.get(region) ?? new Map<string, Map<string, number>>();
    this.serving.set(region, byService);
    const flags = byService.get(service) ?? new Map<string, number>();
    byService.set(service, flags);
    const before = flags.get(flagKey);
    if (before !== undefined && version < before) {
      this.regressions.push({ region, service, flagKey, from: before, to: version, at: Date.now() });
    }
    flags.set(flagKey, version);
    const timeline = this.timeline(flagKey, version);
    const regionServed = timeline.served.get(region) ?? new Map<string, number>();
    timeline.served.set(region, regionServed);
    setOnce(regionServed, service, Date.now());
    this.changed();
  }

  /** The version a service's reader serves now, if any. */
  servedVersion(region: string, service: string, flagKey: string): number | undefined {
    return this.serving.get(region)?.get(service)?.get(flagKey);
  }

  sentToQueue(queueName: string, bodies: readonly string[]): void {
    const sent = this.queueSends.get(queueName) ?? [];
    this.queueSends.set(queueName, sent);
    sent.push(...bodies);
  }

  verificationRecorded(region: string, parameters: Record<string, any>): void {
    const flagKey = String(parameters.Key?.pk?.S ?? '').replace(/^FLAG#/, '');
    const version = Number(parameters.ExpressionAttributeValues?.[':version']?.N);
    if (flagKey && Number.isInteger(version)) setOnce(this.timeline(flagKey, version).verified, region, Date.now());
    this.changed();
  }

  invoked(region: string, functionName: string, event: unknown, startedAt: number, endedAt: number): void {
    this.invocations.push({ region, functionName, startedAt, endedAt, event });
    this.changed();
  }

  alert(region: string, subject: string | undefined, message: string): void {
    this.alerts.push({ region, subject, message, at: Date.now() });
    this.changed();
  }

  error(where: string, error: Error): void {
    this.errors.push({ where, message: error.message, at: Date.now() });
  }

  /** Resolves when `condition` holds (checked on every observation and every 50 ms), rejects after `timeoutMs`. */
  waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        done();
        resolve();
      };
      const timer = setInterval(check, 50);
      const timeout = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const done = () => {
        clearInterval(timer);
        clearTimeout(timeout);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
    });
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

function setOnce<K>(map: Map<K, number>, key: K, value: number): void {
  if (!map.has(key)) map.set(key, value);
}
