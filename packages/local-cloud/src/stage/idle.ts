import { LocalCloudError } from '../errors';

/** The parts of a stage that can still have work to do, as waitUntilIdle sees them. */
export interface IdleParts {
  /** Event source mappings: idle() resolves when nothing is left to invoke now (a stream read found nothing new). */
  readonly sources: readonly { idle(): Promise<void> }[];
  /** Global-table replications: settled() resolves when every write seen so far is applied in every replica. */
  readonly replications: readonly { settled(): Promise<void> }[];
  /** Function invocations started so far, and running now. */
  invocations(): { readonly started: number; readonly running: number };
  /** Messages (visible, in flight or delayed) in each queue an event source consumes, by queue name. */
  queuedMessages(): ReadonlyMap<string, number>;
}

/** The stage still had work to do when the wait ended: the message says what. */
export class StageNotIdleError extends LocalCloudError {
  constructor(
    readonly timeoutMs: number,
    readonly busy: string,
  ) {
    super(
      `the stage was still busy after ${timeoutMs} ms (${busy}): wait longer, or look at the stage's errors ` +
        '(observer.errors) for a function failing and retrying in a loop',
    );
    this.name = 'StageNotIdleError';
  }
}

/**
 * Resolves, with the ms it waited, once the stage has nothing left to do: every stream read to its end, every
 * write replicated, every consumed queue empty and no function running. A round waits for every source and
 * replication and then checks that nothing ran or queued meanwhile; two quiet rounds in a row are needed, since
 * a write that a function made or replication applied during one round reaches a stream read only in the next.
 */
export async function waitUntilIdle(parts: IdleParts, timeoutMs: number): Promise<number> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StageNotIdleError(timeoutMs, describeBusy(parts))), timeoutMs);
  });
  const quiet = () => parts.invocations().running === 0 && parts.queuedMessages().size === 0;
  try {
    for (let quietRounds = 0; quietRounds < 2;) {
      const before = parts.invocations().started;
      const quietBefore = quiet();
      await Promise.race([
        Promise.all([...parts.replications.map((r) => r.settled()), ...parts.sources.map((s) => s.idle())]),
        timedOut,
      ]);
      quietRounds = quietBefore && quiet() && parts.invocations().started === before ? quietRounds + 1 : 0;
    }
  } finally {
    clearTimeout(timer);
  }
  return Date.now() - started;
}

function describeBusy(parts: IdleParts): string {
  const { running } = parts.invocations();
  const queued = [...parts.queuedMessages()].sort((a, b) => b[1] - a[1]);
  if (running === 0 && queued.length === 0) return 'a stream read or a replicated write was still under way';
  const total = queued.reduce((n, [, count]) => n + count, 0);
  const top = queued.slice(0, 3).map(([name, count]) => `${name} ${count}`);
  const more = queued.length > top.length ? ', …' : '';
  return `${running} invocations running, ${total} messages in ${queued.length} queues${top.length ? ` (${top.join(', ')}${more})` : ''}`;
}
