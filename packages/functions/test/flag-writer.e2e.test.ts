import { serviceCatalogue } from '@ffc/rules';
import type { SQSEvent } from 'aws-lambda';
import { createFlagWriterHandler } from '../src/handlers/flag-writer';
import { WriterMessage, createFlagWriter } from '../src/writing';
import { RecordingAudit, REGION, STAGE, useLocalFlagTable, validChange } from './support/fixtures';

// ReceiveMessage (SQS API reference): SenderId is the IAM user id, or `<role id>:<role session name>`.
const ROLE_SESSION = 'AROAOPERATORROLE1234:jdoe';
const NOON = Date.parse('2026-12-02T12:00:00.000Z');

/** A change as `ffc set` reads it: no version, kind, changedBy or changedAt. */
function changeFields(flagKey: string, overrides: Record<string, unknown> = {}) {
  const { version: _v, kind: _k, changedBy: _b, changedAt: _a, ...fields } = validChange({ flagKey });
  return { ...fields, ...overrides };
}

function setMessage(
  flagKey: string,
  expectedVersion: number,
  options: { correlationId?: string; senderId?: string; sentTimestamp?: number; change?: Record<string, unknown> } = {},
): WriterMessage {
  return {
    body: JSON.stringify({
      action: 'set',
      flagKey,
      expectedVersion,
      correlationId: options.correlationId ?? `${flagKey}-request-${expectedVersion}`,
      change: options.change ?? changeFields(flagKey),
    }),
    senderId: options.senderId ?? ROLE_SESSION,
    sentTimestamp: options.sentTimestamp ?? NOON,
  };
}

describe('flag writer against DynamoDB Local', () => {
  const table = useLocalFlagTable();
  const audit = new RecordingAudit();
  const writer = () =>
    createFlagWriter({
      store: table().store,
      audit,
      catalogue: serviceCatalogue,
      stage: STAGE,
      production: false,
      region: REGION,
      regions: [REGION],
    });

  test('changedBy is the SQS SenderId and changedAt its SentTimestamp, whatever the sender claims', async () => {
    const result = await writer().write(setMessage('writer-stamps', 0));
    expect(result.outcome).toBe('written');
    expect(await table().store.get('writer-stamps')).toMatchObject({
      version: 1,
      changedBy: 'jdoe',
      changedAt: '2026-12-02T12:00:00.000Z',
      correlationId: 'writer-stamps-request-0',
    });
    // An IAM user's SenderId is its user id: recorded as given, lower-cased to the changedBy grammar.
    await writer().write(setMessage('writer-stamps', 1, { senderId: 'AIDAOPERATORUSER5678' }));
    expect(await table().store.get('writer-stamps')).toMatchObject({ version: 2, changedBy: 'aidaoperatoruser5678' });
  });

  test.each(['changedBy', 'changedAt', 'version', 'kind'])(
    'a request naming %s itself is refused, not written',
    async (field) => {
      const message = setMessage('writer-forged', 0, {
        change: changeFields('writer-forged', { [field]: field === 'version' ? 1 : 'ffc-validator' }),
      });
      await expect(writer().write(message)).rejects.toThrow(`must not carry ${field}`);
      expect(await table().store.latestVersion('writer-forged')).toBe(0);
    },
  );

  test('changedAt is never earlier than the version it replaces', async () => {
    await writer().write(setMessage('writer-clock', 0, { sentTimestamp: NOON }));
    // SentTimestamp an hour earlier (a delayed delivery, or a clock skew between SQS hosts).
    await writer().write(setMessage('writer-clock', 1, { sentTimestamp: NOON - 3_600_000 }));
    expect((await table().store.get('writer-clock'))?.changedAt).toBe('2026-12-02T12:00:00.000Z');
    await writer().write(setMessage('writer-clock', 2, { sentTimestamp: NOON + 1_000 }));
    expect((await table().store.get('writer-clock'))?.changedAt).toBe('2026-12-02T12:00:01.000Z');
  });

  test('a redelivered request is written once, also when both deliveries race', async () => {
    const message = setMessage('writer-duplicate', 0, { correlationId: 'dup-1' });
    const outcomes = await Promise.all([writer().write(message), writer().write(message)]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['already-written', 'written']);
    expect((await writer().write(message)).outcome).toBe('already-written');
    expect(await table().store.latestVersion('writer-duplicate')).toBe(1);
  });

  test('a request on top of a stale version is refused and audited as change.rejected', async () => {
    await writer().write(setMessage('writer-stale', 0));
    await writer().write(setMessage('writer-stale', 1));
    const result = await writer().write(setMessage('writer-stale', 1, { correlationId: 'late-1' }));
    expect(result).toMatchObject({ outcome: 'rejected', ruleIds: ['FFC-WRITER-CONFLICT'] });
    expect(await table().store.latestVersion('writer-stale')).toBe(2);
    expect(audit.events.find((e) => e.correlationId === 'late-1')).toMatchObject({
      type: 'change.rejected',
      flagKey: 'writer-stale',
    });
  });

  test('a change the rules refuse is not written, and the rejection names the rule ids', async () => {
    const message = setMessage('writer-invalid', 0, {
      correlationId: 'invalid-1',
      change: changeFields('writer-invalid', { value: 'yes' }),
    });
    const result = await writer().write(message);
    expect(result.outcome).toBe('rejected');
    expect(await table().store.latestVersion('writer-invalid')).toBe(0);
    const rejection = audit.events.find((e) => e.correlationId === 'invalid-1');
    expect(rejection?.type).toBe('change.rejected');
    expect(result.outcome === 'rejected' && result.ruleIds.length).toBeGreaterThan(0);
    expect((rejection?.details as { ruleIds: string[] }).ruleIds).toEqual(
      result.outcome === 'rejected' && result.ruleIds,
    );
  });

  test('an archive request becomes the tombstone, by the sender, once', async () => {
    await writer().write(setMessage('writer-archive', 0));
    const archive: WriterMessage = {
      body: JSON.stringify({
        action: 'archive',
        flagKey: 'writer-archive',
        expectedVersion: 1,
        correlationId: 'archive-1',
        reason: 'the experiment ended',
      }),
      senderId: 'AROAOPERATORROLE1234:ana',
      sentTimestamp: NOON,
    };
    expect((await writer().write(archive)).outcome).toBe('written');
    expect((await writer().write(archive)).outcome).toBe('already-written');
    expect(await table().store.getVersion('writer-archive', 2)).toMatchObject({
      kind: 'archive',
      changedBy: 'ana',
      correlationId: 'archive-1',
    });
    expect(await table().store.latestVersion('writer-archive')).toBe(2);
    const missing = {
      ...archive,
      body: archive.body
        .replace(/writer-archive/g, 'writer-never-created')
        .replace('"expectedVersion":1', '"expectedVersion":0'),
    };
    expect(await writer().write(missing)).toMatchObject({ outcome: 'rejected', ruleIds: ['FFC-MODEL'] });
  });

  test('the handler reads SenderId and SentTimestamp from the SQS record, and retries only what may pass', async () => {
    const handler = createFlagWriterHandler(writer);
    const record = (messageId: string, body: string, attributes: Record<string, string>) => ({
      messageId,
      body,
      attributes: { ApproximateReceiveCount: '1', ApproximateFirstReceiveTimestamp: String(NOON), ...attributes },
    });
    const good = setMessage('writer-handler', 0);
    const event = {
      Records: [
        record('m1', good.body, { SenderId: 'AROAOPERATORROLE1234:ana', SentTimestamp: String(NOON + 5_000) }),
        record('m2', '{not json', { SenderId: ROLE_SESSION, SentTimestamp: String(NOON) }),
      ],
    } as unknown as SQSEvent;
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    expect(await table().store.get('writer-handler')).toMatchObject({
      changedBy: 'ana',
      changedAt: '2026-12-02T12:00:05.000Z',
    });
    const failing = createFlagWriterHandler(() => ({
      write: async () => {
        throw new Error('the table is unreachable');
      },
    }));
    expect(await failing(event)).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }] });
  });
});
