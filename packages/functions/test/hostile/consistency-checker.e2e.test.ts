import { ChangeToVerify, ResultRow, UnprocessableInputError, createConsistencyCheckerHandler } from '../../src';
import { REGION } from '../support/fixtures';
import { hostileStage, useAuditTrail } from './support/audit-trail';

const stage = hostileStage();

const change = (flagKey: string, services: string[], version = 7): ChangeToVerify => ({
  flagKey,
  version,
  services,
  correlationId: `${flagKey}:${version}`,
  kind: 'change',
});

const row = (service: unknown, flagKey: unknown, version: unknown) =>
  [
    { field: 'service', value: service },
    { field: 'flagKey', value: flagKey },
    { field: 'version', value: version },
  ] as unknown as ResultRow;

describe('consistency checker on hostile requests and rows (the validating audit trail on OpenSearch)', () => {
  const trail = useAuditTrail(stage);
  const handler = createConsistencyCheckerHandler(() => ({ audit: trail().sink, stage }));

  test('only plain decimal versions prove a service applied a change; malformed rows prove nothing and break nothing', async () => {
    const hostileVersions = ['0x10', '1e3', '', ' 7', '7 ', '-7', '7.0', '+7', '1e21', '007', 7, null, undefined];
    const services = hostileVersions.map((_, i) => `svc-${i}`);
    const rows: unknown[] = [
      ...hostileVersions.map((version, i) => row(services[i], 'checker-rows', version)),
      row('svc-proven', 'checker-rows', '7'),
      row('svc-newer', 'checker-rows', '12'),
      'not a row',
      null,
      [null, { field: 'service' }],
      row(['svc-0'], 'checker-rows', '7'),
    ];
    const { verdicts } = await handler({
      region: REGION,
      changes: [change('checker-rows', [...services, 'svc-proven', 'svc-newer'])],
      rows: rows as ResultRow[],
    });
    expect(verdicts[0]).toMatchObject({ consistent: false, appliedCount: 2 });
    expect(verdicts[0].differences.map((d) => [d.service, d.observedVersion])).toEqual(
      [...services].sort().map((service) => [service, null]),
    );
    expect(await trail().types('checker-rows')).toEqual(['change.applied', 'change.inconsistent']);
  });

  test.each<[string, unknown]>([
    ['a flag key that would inject into a query', { ...change('checker-good', ['a-svc']), flagKey: 'x" or 1=1' }],
    ['the version "0x10"', { ...change('checker-good', ['a-svc']), version: '0x10' }],
    ['version 0', { ...change('checker-good', ['a-svc']), version: 0 }],
    ['services that are not a list', { ...change('checker-good', ['a-svc']), services: 'a-svc' }],
    ['a correlationId with an @', { ...change('checker-good', ['a-svc']), correlationId: 'checker@7' }],
    ['no correlationId', { ...change('checker-good', ['a-svc']), correlationId: undefined }],
    ['a service of 300 characters', change('checker-good', ['s'.repeat(300)])],
    ['a change that is not an object', 'checker-good@7'],
  ])('a request with %s is refused whole before anything is audited', async (_, hostile) => {
    const request = { region: REGION, changes: [change('checker-good', ['a-svc']), hostile], rows: [] };
    await expect(handler(request as never)).rejects.toThrow(UnprocessableInputError);
    expect(await trail().types('checker-good')).toEqual([]);
  });

  test.each<[string, unknown]>([
    ['nothing', undefined],
    ['no rows', { region: REGION, changes: [] }],
    ['a region that is not a string', { region: 7, changes: [], rows: [] }],
  ])('a request with %s is refused', async (_, request) => {
    await expect(handler(request as never)).rejects.toThrow(UnprocessableInputError);
  });

  test('a region the audit trail refuses is found before anything is recorded', async () => {
    const request = { region: 'EU West', changes: [change('checker-region', ['a-svc'])], rows: [] };
    await expect(handler(request)).rejects.toThrow(UnprocessableInputError);
    await expect(handler(request)).rejects.toThrow(/region must be an AWS region code/);
    expect(await trail().types('checker-region')).toEqual([]);
  });

  test('a duplicated request (a retried execution) is audited once', async () => {
    const request = {
      region: REGION,
      changes: [change('checker-twice', ['a-svc'])],
      rows: [row('a-svc', 'checker-twice', '7')],
    };
    await handler(request);
    await handler(request);
    expect(await trail().types('checker-twice')).toEqual(['change.applied', 'change.verified']);
  });

  test('an acknowledgement source that fails records nothing (the execution is retried whole)', async () => {
    const failing = createConsistencyCheckerHandler(() => ({
      audit: trail().sink,
      stage,
      acknowledged: async () => {
        throw new Error('redis unreachable');
      },
    }));
    await expect(failing({ region: REGION, changes: [change('checker-ack', ['a-svc'])], rows: [] })).rejects.toThrow(
      /redis unreachable/,
    );
    expect(await trail().types('checker-ack')).toEqual([]);
  });
});
