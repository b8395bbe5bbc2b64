import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AuditBuffer, BufferedMessage, DeadLetter } from './buffer';

export interface FileSpoolOptions {
  /** Created if missing; one consumer per directory (any number of producers). */
  readonly directory: string;
}

/** A file spool that also says how much it holds, for tests and operators. */
export interface FileSpool extends AuditBuffer {
  /** Messages neither acknowledged nor dead-lettered. */
  depth(): Promise<number>;
  /** Bodies and reasons of dead-lettered messages. */
  deadLetters(): Promise<Array<{ id: string; reason: string; body: string }>>;
}

const SEGMENT_SUFFIX = '.jsonl';
const ACKED_SUFFIX = '.acked';

interface Segment {
  readonly lines: string[];
  readonly acked: Set<number>;
}

async function syncPath(target: string): Promise<void> {
  const handle = await fs.open(target, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeDurably(file: string, content: string, flag: 'w' | 'a'): Promise<void> {
  const handle = await fs.open(file, flag);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * A durable local buffer. Each `enqueue` writes one segment file (temp file, fsync, rename, fsync of the
 * directory, so a segment is either whole or absent after a crash); acknowledgements are appended to a
 * per-segment `.acked` file, and a fully acknowledged segment is deleted. Message ids are `segment#line`.
 */
export function createFileSpool(options: FileSpoolOptions): FileSpool {
  const segmentsDir = path.join(options.directory, 'segments');
  const deadDir = path.join(options.directory, 'dead-letter');
  const tmpDir = path.join(options.directory, 'tmp');
  const segments = new Map<string, Segment>();
  let sequence = 0;
  let ready: Promise<void> | undefined;

  const prepare = () =>
    (ready ??= Promise.all([segmentsDir, deadDir, tmpDir].map((dir) => fs.mkdir(dir, { recursive: true }))).then(
      () => undefined,
    ));

  async function segmentNames(): Promise<string[]> {
    const files = await fs.readdir(segmentsDir);
    return files.filter((f) => f.endsWith(SEGMENT_SUFFIX)).sort();
  }

  async function loadSegment(name: string): Promise<Segment> {
    const cached = segments.get(name);
    if (cached) return cached;
    const content = await fs.readFile(path.join(segmentsDir, name), 'utf8');
    const ackedText = await fs.readFile(path.join(segmentsDir, name + ACKED_SUFFIX), 'utf8').catch(() => '');
    const segment = {
      lines: content.split('\n').slice(0, -1),
      acked: new Set(ackedText.split('\n').filter(Boolean).map(Number)),
    };
    segments.set(name, segment);
    return segment;
  }

  function parseId(id: string): { name: string; line: number } {
    const at = id.lastIndexOf('#');
    return { name: id.slice(0, at), line: Number(id.slice(at + 1)) };
  }

  async function ack(ids: readonly string[]): Promise<void> {
    await prepare();
    const byName = new Map<string, number[]>();
    for (const id of ids) {
      const { name, line } = parseId(id);
      byName.set(name, [...(byName.get(name) ?? []), line]);
    }
    for (const [name, lines] of byName) {
      const segment = await loadSegment(name);
      const fresh = lines.filter((line) => !segment.acked.has(line));
      if (fresh.length === 0) continue;
      fresh.forEach((line) => segment.acked.add(line));
      const file = path.join(segmentsDir, name);
      if (segment.acked.size >= segment.lines.length) {
        await fs.rm(file, { force: true });
        await fs.rm(file + ACKED_SUFFIX, { force: true });
        segments.delete(name);
      } else {
        await writeDurably(file + ACKED_SUFFIX, fresh.map((line) => `${line}\n`).join(''), 'a');
      }
    }
  }

  return {
    async enqueue(bodies) {
      if (bodies.length === 0) return;
      if (bodies.some((body) => body.includes('\n'))) throw new Error('a spooled message body must be one line');
      await prepare();
      const name = `${Date.now().toString().padStart(15, '0')}-${process.pid}-${String(sequence++).padStart(6, '0')}-${randomBytes(4).toString('hex')}${SEGMENT_SUFFIX}`;
      const tmp = path.join(tmpDir, name);
      await writeDurably(tmp, bodies.map((body) => `${body}\n`).join(''), 'w');
      await fs.rename(tmp, path.join(segmentsDir, name));
      await syncPath(segmentsDir);
    },

    async receive(max) {
      await prepare();
      const messages: BufferedMessage[] = [];
      for (const name of await segmentNames()) {
        const segment = await loadSegment(name);
        for (let line = 0; line < segment.lines.length && messages.length < max; line++) {
          if (!segment.acked.has(line)) messages.push({ id: `${name}#${line}`, body: segment.lines[line] });
        }
        if (messages.length >= max) break;
      }
      return messages;
    },

    ack,

    async deadLetter(letters: readonly DeadLetter[]) {
      await prepare();
      for (const letter of letters) {
        const { name, line } = parseId(letter.id);
        const segment = await loadSegment(name);
        const record = { id: letter.id, reason: letter.reason, body: segment.lines[line] };
        await writeDurably(path.join(deadDir, `${name}#${line}.json`), JSON.stringify(record), 'w');
      }
      await ack(letters.map((letter) => letter.id));
    },

    async depth() {
      await prepare();
      let total = 0;
      for (const name of await segmentNames()) {
        const segment = await loadSegment(name);
        total += segment.lines.length - segment.acked.size;
      }
      return total;
    },

    async deadLetters() {
      await prepare();
      const files = (await fs.readdir(deadDir)).sort();
      return Promise.all(files.map(async (f) => JSON.parse(await fs.readFile(path.join(deadDir, f), 'utf8'))));
    },
  };
}
