import { ItemVersion } from '../../src/dynamodb';
import { ReplicaEchoes } from '../../src/dynamodb/replica-echoes';

const version = (imageHash: string): ItemVersion => ({
  timestampMs: 0,
  region: 'us-east-1',
  sequenceNumber: 0n,
  image: null,
  imageHash,
});

describe('ReplicaEchoes: our own writes to one replica, until its stream shows them', () => {
  test('a record with the image of a pending write is its echo; another image is not', () => {
    const echoes = new ReplicaEchoes();
    const v1 = version('h1');
    echoes.sent(v1);
    expect(echoes.seen('other')).toEqual([]);
    expect(echoes.seen('h1')).toEqual([v1]);
    expect(echoes.empty).toBe(true);
  });

  test('only written (not merely sent) writes mean the replica holds one of ours', () => {
    const echoes = new ReplicaEchoes();
    const v1 = version('h1');
    echoes.sent(v1);
    expect(echoes.landedUnseen).toBe(false);
    expect(echoes.written(v1, false)).toBe(true);
    expect(echoes.landedUnseen).toBe(true);
  });

  test('a write whose echo was read before it returned reports so', () => {
    const echoes = new ReplicaEchoes();
    const v1 = version('h1');
    echoes.sent(v1);
    echoes.seen('h1');
    expect(echoes.written(v1, false)).toBe(false);
  });

  test('silent writes (no record) are done once the echoes ahead of them are read', () => {
    const echoes = new ReplicaEchoes();
    const [v1, v2, v3] = [version('h1'), version('h2'), version('h3')];
    echoes.sent(v1);
    echoes.written(v1, false);
    echoes.sent(v2);
    echoes.written(v2, true);
    echoes.sent(v3);
    expect(echoes.drainSilent()).toEqual([]);
    // v2 wrote nothing, so no record will carry it: it is done with once v1, ahead of it, is read.
    expect(echoes.seen('h2')).toEqual([]);
    expect(echoes.seen('h1')).toEqual([v1, v2]);
    expect(echoes.empty).toBe(false);
    echoes.failed(v3);
    expect(echoes.empty).toBe(true);
  });
});
