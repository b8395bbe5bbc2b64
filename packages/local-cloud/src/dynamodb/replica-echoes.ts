import { ItemVersion } from './item-version';

type EchoState = 'sent' | 'written' | 'silent';

interface Echo<V extends ItemVersion> {
  readonly version: V;
  /** sent: the write is under way; written: it succeeded, its record is unseen; silent: it changed nothing, so no record comes. */
  state: EchoState;
}

/**
 * Replication's own writes to one item in one replica, in write order, until the replica's stream shows them.
 * Writes to one item in one replica go one at a time, so every entry ahead of a written one is written too.
 */
export class ReplicaEchoes<V extends ItemVersion> {
  private readonly echoes: Echo<V>[] = [];

  sent(version: V): void {
    this.echoes.push({ version, state: 'sent' });
  }

  /** The write succeeded; false when its record has been read already (then the stream said what it did). */
  written(version: V, silent: boolean): boolean {
    const echo = this.echoes.find((e) => e.version === version);
    if (echo) echo.state = silent ? 'silent' : 'written';
    return echo !== undefined;
  }

  /** The write failed: no record will come. */
  failed(version: V): void {
    const index = this.echoes.findIndex((e) => e.version === version);
    if (index >= 0) this.echoes.splice(index, 1);
  }

  /**
   * If a record with this image is one of ours, takes it off together with the silent writes that now lead the
   * list (made after it, they have no record of their own); returns the versions done with, the echo first.
   */
  seen(imageHash: string): V[] {
    const index = this.echoes.findIndex((e) => e.state !== 'silent' && e.version.imageHash === imageHash);
    if (index < 0) return [];
    return [...this.echoes.splice(index, 1).map((e) => e.version), ...this.drainSilent()];
  }

  /** Takes off the silent writes leading the list: nothing ahead of them awaits a record any more. */
  drainSilent(): V[] {
    const done: V[] = [];
    while (this.echoes[0]?.state === 'silent') done.push(this.echoes.shift()!.version);
    return done;
  }

  /** A write of ours landed after every record read so far: the replica holds the last such write. */
  get landedUnseen(): boolean {
    return this.echoes.some((e) => e.state !== 'sent');
  }

  get empty(): boolean {
    return this.echoes.length === 0;
  }
}
