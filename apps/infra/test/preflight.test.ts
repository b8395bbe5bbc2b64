import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { serviceCatalogue } from '@ffc/rules';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../src/app';
import { confusedDeputies, kmsGaps, logsPolicyQuota, nameClashes, unusedActions } from './preflight/checks';
import { CfnResource, DeployedTemplate, StageModel, loadStage, resourcesOf } from './preflight/model';

/** Test and production stages share one account here: the strictest case for names and account quotas. */
const ACCOUNT = '111111111111';
const REGIONS = [...serviceCatalogue.regions];

function synthesise(stage: string, production: boolean, regions: readonly string[]): StageModel {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `ffc-preflight-${stage}-`));
  const context = {
    stage,
    production: String(production),
    costCentre: 'cc-1234',
    owner: 'platform',
    regions: [...regions],
    account: ACCOUNT,
  };
  // Synthesis also runs cdk-nag: an unacknowledged finding throws here.
  const model = loadStage(stage, buildApp(new App({ outdir, context })).synth(), ACCOUNT);
  fs.rmSync(outdir, { recursive: true, force: true });
  return model;
}

/** A deep copy to plant one defect in, leaving the synthesised stages untouched. */
function copy(stage: StageModel): StageModel {
  return structuredClone(stage);
}

/** The first resource of a type in a region's templates that satisfies `match`. */
function find(
  stage: StageModel,
  type: string,
  region: string,
  match: (id: string, resource: CfnResource) => boolean = () => true,
): { t: DeployedTemplate; id: string; resource: CfnResource & { Properties: Record<string, any> } } {
  const found = resourcesOf(stage, type).find(({ t, id, resource }) => t.region === region && match(id, resource));
  if (!found) throw new Error(`no ${type} in ${region} matches`);
  return found as never;
}

const policyOfRole = (stage: StageModel, region: string, roleIdPart: string) =>
  find(stage, 'AWS::IAM::Policy', region, (id) => id.includes(roleIdPart)).resource.Properties.PolicyDocument
    .Statement as any[];

describe('deploy preflight over the synthesised test and production stages', () => {
  let stages: StageModel[];
  let testStage: StageModel;
  let otherStage: StageModel;
  let productionStage: StageModel;

  beforeAll(() => {
    testStage = synthesise('pr-7', false, REGIONS);
    otherStage = synthesise('pr-8', false, ['eu-west-1', 'us-east-1']);
    productionStage = synthesise('prod', true, REGIONS);
    stages = [testStage, otherStage, productionStage];
  }, 600_000);

  test('the stages are what they claim: every region, and production from the production flag', () => {
    expect(new Set(testStage.templates.map((t) => t.region))).toEqual(new Set(REGIONS));
    expect(
      find(productionStage, 'AWS::ElastiCache::ReplicationGroup', 'eu-west-1').resource.Properties.NumCacheClusters,
    ).toBe(3);
    expect(
      find(testStage, 'AWS::ElastiCache::ReplicationGroup', 'eu-west-1').resource.Properties.NumCacheClusters,
    ).toBe(1);
  });

  describe('names of account-global resources are unique across the regions and stages of an account', () => {
    test('passes', () => expect(nameClashes(stages)).toEqual([]));
    test('fails on explicit role names repeated in every regional stack (the second region cannot deploy)', () => {
      const planted = copy(testStage);
      for (const region of ['eu-west-1', 'us-east-1']) {
        find(planted, 'AWS::IAM::Role', region, (id) =>
          id.startsWith('PathvalidatorRole'),
        ).resource.Properties.RoleName = 'pr-7-validator';
      }
      expect(nameClashes([planted, otherStage, productionStage])).toEqual([
        expect.stringMatching(/^AWS::IAM::Role 'pr-7-validator' in 111111111111 is claimed by 2 resources/),
      ]);
    });
    test('fails on a regional name two stages share', () => {
      const planted = copy(otherStage);
      find(planted, 'AWS::SNS::Topic', 'eu-west-1', (id) => id.startsWith('PathAlerts')).resource.Properties.TopicName =
        'pr-7-alerts';
      expect(nameClashes([testStage, planted])).toEqual([
        expect.stringMatching(/^AWS::SNS::Topic 'pr-7-alerts' in 111111111111\/eu-west-1/),
      ]);
    });
  });

  describe('every principal that publishes to, sends to or reads an encrypted resource holds the KMS actions it needs', () => {
    test('passes', () => {
      for (const stage of stages) expect(kmsGaps(stage)).toEqual([]);
    });
    test('fails when the state machine publishes to the encrypted alerts topic without a data key (alerts never delivered)', () => {
      const planted = copy(testStage);
      const statements = policyOfRole(planted, 'eu-west-1', 'VerificationStateMachineRole');
      statements.splice(
        statements.findIndex((s) => JSON.stringify(s.Action).includes('kms:GenerateDataKey')),
        1,
      );
      expect(kmsGaps(planted)).toEqual([
        expect.stringMatching(
          /VerificationStateMachineRole.* may sns:Publish on arn:aws:sns:eu-west-1:111111111111:pr-7-alerts but lacks kms:GenerateDataKey, kms:Decrypt/,
        ),
      ]);
    });
    test('fails when a grant is scoped to another resource by encryption context', () => {
      const planted = copy(testStage);
      const statements = policyOfRole(planted, 'eu-west-1', 'rollbackRole');
      const kms = statements.find((s) => JSON.stringify(s.Action).includes('kms:GenerateDataKey'));
      kms.Condition.ArnLike['kms:EncryptionContext:aws:sqs:arn'] = ['arn:aws:sqs:eu-west-1:111111111111:pr-7-other'];
      expect(kmsGaps(planted)).toEqual([
        expect.stringMatching(
          /rollbackRole.* may sqs:SendMessage on .*pr-7-audit but lacks kms:GenerateDataKey, kms:Decrypt/,
        ),
      ]);
    });
    test('fails when CloudWatch alarms notify an encrypted topic whose policies do not admit CloudWatch', () => {
      const planted = copy(testStage);
      const topicPolicy = find(planted, 'AWS::SNS::TopicPolicy', 'eu-west-1', (id) =>
        id.startsWith('PathAlerts'),
      ).resource;
      topicPolicy.Properties.PolicyDocument.Statement = topicPolicy.Properties.PolicyDocument.Statement.filter(
        (s: any) => s.Sid !== 'AlarmsOfThisStage',
      );
      const findings = kmsGaps(planted);
      // One per alarm of the region: the twelve of the path and the audit route's dead letters (AuditRoute).
      expect(findings.length).toBe(13);
      expect(findings[0]).toMatch(
        /^cloudwatch.amazonaws.com delivers to .*pr-7-alerts .* but its resource policy does not allow sns:Publish$/,
      );
    });
    test('fails when the key policy does not admit the regional CloudWatch Logs principal', () => {
      const planted = copy(testStage);
      const key = find(planted, 'AWS::KMS::Key', 'eu-west-1').resource;
      const logs = key.Properties.KeyPolicy.Statement.find((s: any) => s.Sid === 'CloudWatchLogsOfThisStage');
      logs.Principal = { Service: 'logs.amazonaws.com' };
      // Six functions, the state machine, the flag-stream lookup and the VPC flow logs: every log group of the region
      // logs under the regional key (eu-west-1 is not the primary region, so it has no audit domain's log group).
      expect(kmsGaps(planted).filter((f) => f.includes('log group'))).toHaveLength(9);
    });
  });

  describe('every grant to a service principal carries source conditions', () => {
    test('passes', () => {
      for (const stage of stages) expect(confusedDeputies(stage)).toEqual([]);
    });
    test('fails when EventBridge may send to the verification-requests queue from any account', () => {
      const planted = copy(testStage);
      const policy = find(planted, 'AWS::SQS::QueuePolicy', 'eu-west-1', (id) =>
        id.startsWith('PathVerificationRequestsPolicy'),
      ).resource;
      delete policy.Properties.PolicyDocument.Statement.find((s: any) => s.Sid === 'OnlyTheChangePublishedRule')
        .Condition;
      expect(confusedDeputies(planted)).toEqual([
        expect.stringMatching(
          /PathVerificationRequestsPolicy.* grants events.amazonaws.com sqs:SendMessage without aws:SourceArn/,
        ),
      ]);
    });
    test('fails on a state machine trust, a flow-log trust and a key statement without conditions', () => {
      const planted = copy(testStage);
      for (const idPart of ['VerificationStateMachineRole', 'NetworkFlowLogRole']) {
        const role = find(planted, 'AWS::IAM::Role', 'eu-west-1', (id) => id.includes(idPart)).resource;
        delete role.Properties.AssumeRolePolicyDocument.Statement[0].Condition;
      }
      const key = find(planted, 'AWS::KMS::Key', 'eu-west-1').resource;
      delete key.Properties.KeyPolicy.Statement.find((s: any) => s.Sid === 'EventBridgeToVerificationQueues').Condition;
      expect(confusedDeputies(planted)).toHaveLength(3);
    });
  });

  describe("no function's role holds an action its handler does not call", () => {
    test('passes', () => {
      for (const stage of stages) expect(unusedActions(stage)).toEqual([]);
    });
    test("fails on CDK's full read-write set on the flag table for the rollback role", () => {
      const planted = copy(testStage);
      const statements = policyOfRole(planted, 'eu-west-1', 'rollbackRole');
      statements
        .find((s) => JSON.stringify(s.Action).includes('dynamodb:GetItem'))
        .Action.push('dynamodb:Scan', 'dynamodb:BatchWriteItem');
      expect(unusedActions(planted)).toEqual([
        'pr-7-rollback: its role holds dynamodb:Scan, dynamodb:BatchWriteItem, which neither its handler calls nor Lambda uses for it',
      ]);
    });
    test('fails on kms:Encrypt and kms:ReEncrypt* that no call needs', () => {
      const planted = copy(testStage);
      policyOfRole(planted, 'eu-west-1', 'consistencyCheckerRole').push({
        Effect: 'Allow',
        Action: ['kms:Encrypt', 'kms:ReEncrypt*'],
        Resource: '*',
      });
      expect(unusedActions(planted)).toEqual([
        expect.stringMatching(/^pr-7-consistency-checker: its role holds kms:Encrypt, kms:ReEncrypt\*/),
      ]);
    });
  });

  describe('every CloudWatch Logs resource policy counts against the quota of 10 per account and region', () => {
    test('passes: one shared OpenSearch policy and the vended-logs one per region, whatever the number of stages', () => {
      expect(logsPolicyQuota(stages)).toEqual([]);
    });
    test('fails on a policy per stage (the audit domain log policy each stage created)', () => {
      const planted = [testStage, otherStage].map(copy);
      // Each stage's one audit domain is in its primary region, the first of its regions.
      for (const [stage, primary] of [
        [planted[0], 'us-east-1'],
        [planted[1], 'eu-west-1'],
      ] as const) {
        const regional = find(stage, 'AWS::OpenSearchService::Domain', primary).t;
        (regional.template.Resources as Record<string, unknown>).StageLogsPolicy = {
          Type: 'AWS::Logs::ResourcePolicy',
          Properties: { PolicyName: `${stage.stage}-audit-opensearch-logs`, PolicyDocument: '{}' },
        };
      }
      expect(logsPolicyQuota(planted)).toEqual([
        expect.stringMatching(
          /^111111111111\/eu-west-1: Logs resource policy 'pr-8-audit-opensearch-logs' belongs to stage pr-8 alone/,
        ),
        expect.stringMatching(
          /^111111111111\/us-east-1: Logs resource policy 'pr-7-audit-opensearch-logs' belongs to stage pr-7 alone/,
        ),
      ]);
    });
    test('fails when one account and region would need more than 10', () => {
      const planted = copy(testStage);
      const shared = find(planted, 'AWS::Logs::ResourcePolicy', 'eu-west-1');
      for (let i = 0; i < 9; i++) {
        (shared.t.template.Resources as Record<string, unknown>)[`Extra${i}`] = {
          Type: 'AWS::Logs::ResourcePolicy',
          Properties: { PolicyName: `shared-${i}`, PolicyDocument: '{}' },
        };
      }
      expect(logsPolicyQuota([planted])).toEqual([
        '111111111111/eu-west-1 needs 11 CloudWatch Logs resource policies; an account holds 10 per region',
      ]);
    });
  });
});
