import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createFileSpool } from '../src';

describe('createFileSpool', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await fs.mkdtemp(path.join(os.tmpdir(), 'ffc-spool-'));
  });
  afterEach(() => fs.rm(directory, { recursive: true, force: true }));

  test('hands out messages oldest first, up to the maximum', async () => {
    const spool = createFileSpool({ directory });
    await spool.enqueue(['a', 'b']);
    await spool.enqueue(['c']);
    expect((await spool.receive(2)).map((m) => m.body)).toEqual(['a', 'b']);
    expect((await spool.receive(10)).map((m) => m.body)).toEqual(['a', 'b', 'c']);
  });

  test('redelivers whatever is not acknowledged, also after a restart', async () => {
    const spool = createFileSpool({ directory });
    await spool.enqueue(['a', 'b', 'c']);
    const [a, , c] = await spool.receive(10);
    await spool.ack([a.id, c.id]);
    expect((await spool.receive(10)).map((m) => m.body)).toEqual(['b']);

    const restarted = createFileSpool({ directory });
    expect((await restarted.receive(10)).map((m) => m.body)).toEqual(['b']);
    expect(await restarted.depth()).toBe(1);
  });

  test('deletes a segment once every message of it is acknowledged', async () => {
    const spool = createFileSpool({ directory });
    await spool.enqueue(['a', 'b']);
    await spool.ack((await spool.receive(10)).map((m) => m.id));
    await spool.ack((await spool.receive(10)).map((m) => m.id));
    expect(await fs.readdir(path.join(directory, 'segments'))).toEqual([]);
    expect(await spool.depth()).toBe(0);
  });

  test('acknowledging twice is harmless', async () => {
    const spool = createFileSpool({ directory });
    await spool.enqueue(['a', 'b']);
    const [a] = await spool.receive(1);
    await spool.ack([a.id]);
    await spool.ack([a.id]);
    expect(await createFileSpool({ directory }).depth()).toBe(1);
  });

  test('keeps dead letters with body and reason, and stops delivering them', async () => {
    const spool = createFileSpool({ directory });
    await spool.enqueue(['{not json', 'ok']);
    const [bad] = await spool.receive(1);
    await spool.deadLetter([{ id: bad.id, reason: 'malformed JSON' }]);
    expect((await spool.receive(10)).map((m) => m.body)).toEqual(['ok']);
    expect(await createFileSpool({ directory }).deadLetters()).toEqual([
      { id: bad.id, reason: 'malformed JSON', body: '{not json' },
    ]);
  });

  test('a body spanning lines is refused before anything is written', async () => {
    const spool = createFileSpool({ directory });
    await expect(spool.enqueue(['ok', 'two\nlines'])).rejects.toThrow(/one line/);
    expect(await spool.depth()).toBe(0);
  });

  test('a segment being written (still in tmp/) is never delivered', async () => {
    const spool = createFileSpool({ directory });
    await spool.enqueue(['a']);
    await fs.writeFile(path.join(directory, 'tmp', 'half-written.jsonl'), '{"partial":');
    expect((await spool.receive(10)).map((m) => m.body)).toEqual(['a']);
  });

  test('producers in parallel lose nothing', async () => {
    const spool = createFileSpool({ directory });
    await Promise.all(Array.from({ length: 20 }, (_, i) => spool.enqueue([`m${i}-0`, `m${i}-1`])));
    const bodies = (await createFileSpool({ directory }).receive(100)).map((m) => m.body);
    expect(bodies.sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => [`m${i}-0`, `m${i}-1`])
        .flat()
        .sort(),
    );
  });
});
