import { IdleParts, StageNotIdleError, waitUntilIdle } from '../../src/stage/idle';

const tick = (ms = 5) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A stage reduced to what idleness depends on: one stream event source, one replication, queues. Work is
 * scripted as things that happen when a source is next read (a record arrives, a function runs for a while).
 */
class FakeStage implements IdleParts {
  readonly counts = { started: 0, running: 0 };
  readonly queued = new Map<string, number>();
  /** Records in the stream, not read yet: each is one invocation of `runMs` when the source reads it. */
  private unread: number[] = [];
  /** Replicated writes seen but not applied: applied on the next settled(), after the source has been read. */
  private unapplied: number[] = [];
  readonly finished: number[] = [];

  readonly sources = [{ idle: () => this.readStream() }];
  readonly replications = [{ settled: () => this.applyReplicated() }];

  invocations() {
    return this.counts;
  }

  queuedMessages(): ReadonlyMap<string, number> {
    return new Map([...this.queued].filter(([, n]) => n > 0));
  }

  /** A function that runs `runMs` and, when done, makes a write that replication applies to another replica. */
  run(id: number, runMs: number, thenReplicate?: number): void {
    this.counts.started += 1;
    this.counts.running += 1;
    setTimeout(() => {
      this.counts.running -= 1;
      this.finished.push(id);
      if (thenReplicate !== undefined) this.unapplied.push(thenReplicate);
    }, runMs);
  }

  private async readStream(): Promise<void> {
    await tick();
    for (const id of this.unread.splice(0)) this.run(id, 30);
  }

  /** As settled() promises: the writes seen before the call are applied, after the stream read was idle. */
  private async applyReplicated(): Promise<void> {
    const seen = this.unapplied.splice(0);
    await tick(30);
    this.unread.push(...seen);
  }
}

describe('waitUntilIdle', () => {
  test('waits for a function running at the start, and for the write it leaves to replicate and be handled', async () => {
    const stage = new FakeStage();
    // It ends within the first round, after the stream read: its write is replicated in round 2, read in round 3.
    stage.run(1, 10, 2);
    await waitUntilIdle(stage, 5_000);
    // Function 1's write reached another replica's stream only after a round had seen every part idle once.
    expect(stage.finished).toEqual([1, 2]);
    expect(stage.counts).toEqual({ started: 2, running: 0 });
  });

  test('a message still in a consumed queue (delayed or in flight) keeps the stage busy', async () => {
    const stage = new FakeStage();
    stage.queued.set('ffc-local-cache-checkout-api', 1);
    setTimeout(() => stage.queued.set('ffc-local-cache-checkout-api', 0), 100);
    const waited = await waitUntilIdle(stage, 5_000);
    expect(waited).toBeGreaterThanOrEqual(100);
  });

  test('gives up after the timeout with a typed error naming what is still busy', async () => {
    const stage = new FakeStage();
    stage.queued.set('ffc-local-cache-checkout-api', 3);
    stage.queued.set('ffc-local-audit', 1);
    stage.run(1, 1_000);
    const error = await waitUntilIdle(stage, 100).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StageNotIdleError);
    expect((error as Error).message).toMatch(
      /busy after 100 ms \(1 invocations running, 4 messages in 2 queues \(ffc-local-cache-checkout-api 3, ffc-local-audit 1\)\)/,
    );
  });
});
