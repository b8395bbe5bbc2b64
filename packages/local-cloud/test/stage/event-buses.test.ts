import { QueueSpec, RuleSpec, RuleTargetSpec, StageModel } from '../../src/assembly/stage-model';
import { LocalCloudError } from '../../src/errors';
import { EventBuses, Queues } from '../../src/stage/messaging';

const ACCOUNT = '123456789012';
const [PRIMARY, OTHER] = ['us-east-1', 'eu-west-1'];
const busArn = (region: string, name = 'default') => `arn:aws:events:${region}:${ACCOUNT}:event-bus/${name}`;

const queue = (region: string, name: string): QueueSpec => ({
  region,
  where: `${region}/${name}`,
  name,
  arn: `arn:aws:sqs:${region}:${ACCOUNT}:${name}`,
  url: `http://127.0.0.1/${ACCOUNT}/${name}`,
  visibilityTimeoutSeconds: 30,
  messageRetentionSeconds: 3600,
  delaySeconds: 0,
});
const AUDIT_PATTERN = { source: ['ffc.audit'], 'detail-type': ['audit-event'], detail: { stage: ['pr-7'] } };
const rule = (region: string, target: RuleTargetSpec, pattern: unknown = AUDIT_PATTERN): RuleSpec => ({
  region,
  where: `${region}/rule-${target.id}`,
  eventBusName: 'default',
  enabled: true,
  pattern,
  targets: [target],
});
const QUEUES = [queue(PRIMARY, 'history'), queue(PRIMARY, 'other-stage'), queue(OTHER, 'forwarding-dlq')];
const forward = (target: Partial<RuleTargetSpec> = {}): RuleTargetSpec => ({
  id: 'forward',
  arn: busArn(PRIMARY),
  roleArn: `arn:aws:iam::${ACCOUNT}:role/forwarding`,
  deadLetterArn: QUEUES[2].arn,
  ...target,
});
const intoHistory: RuleTargetSpec = { id: 'history', arn: QUEUES[0].arn, inputPath: '$.detail' };

function stage(rules: RuleSpec[], regions = [PRIMARY, OTHER]) {
  const model = { regions, eventBuses: [], rules } as unknown as StageModel;
  const queues = new Queues(QUEUES);
  return { buses: new EventBuses(model, queues, ACCOUNT), queues };
}
const bodies = (queues: Queues, name: string) =>
  queues
    .all()
    .filter((q) => q.settings.name === name)
    .flatMap((q) => q.receive({ maxNumberOfMessages: 10 }))
    .map((m) => JSON.parse(m.body));
const auditEntry = (stageName = 'pr-7') => ({
  Source: 'ffc.audit',
  DetailType: 'audit-event',
  Detail: JSON.stringify({ stage: stageName, type: 'change.verified', region: OTHER }),
});

describe('EventBuses: an event-bus target in another region (EventBridge cross-region delivery)', () => {
  test('every region has a default bus: PutEvents without EventBusName is accepted, an undefined bus refused', () => {
    const { buses } = stage([]);
    expect(buses.putEvents(OTHER, [auditEntry()]).FailedEntryCount).toBe(0);
    expect(buses.putEvents(OTHER, [{ ...auditEntry(), EventBusName: 'nope' }]).Entries[0]).toMatchObject({
      ErrorCode: 'ResourceNotFoundException',
    });
  });

  test("the event arrives on the target bus as sent, with its origin's region, and meets that bus's rules", () => {
    const { buses, queues } = stage([
      rule(OTHER, forward()),
      rule(PRIMARY, { id: 'whole', arn: QUEUES[1].arn }, { source: ['ffc.audit'] }),
    ]);
    const { Entries } = buses.putEvents(OTHER, [auditEntry()]);
    const [arrived] = bodies(queues, 'other-stage');
    // Event structure reference: `id` traces the event through rules to targets; `region` is where it originated.
    expect(arrived).toEqual({
      version: '0',
      id: (Entries[0] as { EventId: string }).EventId,
      'detail-type': 'audit-event',
      source: 'ffc.audit',
      account: ACCOUNT,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      region: OTHER,
      resources: [],
      detail: { stage: 'pr-7', type: 'change.verified', region: OTHER },
    });
  });

  test("InputPath '$.detail' hands the queue the detail alone; the target bus's pattern still filters", () => {
    const { buses, queues } = stage([rule(OTHER, forward(), { source: ['ffc.audit'] }), rule(PRIMARY, intoHistory)]);
    buses.putEvents(OTHER, [auditEntry('pr-7'), auditEntry('pr-8')]);
    expect(bodies(queues, 'history')).toEqual([{ stage: 'pr-7', type: 'change.verified', region: OTHER }]);
  });

  test('a target bus the stage does not have: the event goes to the dead-letter queue, not lost', () => {
    const { buses, queues } = stage([rule(OTHER, forward({ arn: busArn('ap-south-1') }))]);
    const { Entries } = buses.putEvents(OTHER, [auditEntry()]);
    const [dead] = bodies(queues, 'forwarding-dlq');
    expect(dead).toMatchObject({ id: (Entries[0] as { EventId: string }).EventId, region: OTHER });
  });

  test('a bus in another region without a RoleArn is refused, as PutTargets refuses it', () => {
    expect(() => stage([rule(OTHER, forward({ roleArn: undefined }))])).toThrow(LocalCloudError);
    expect(() => stage([rule(OTHER, forward({ roleArn: undefined }))])).toThrow(/needs a RoleArn/);
  });
});
