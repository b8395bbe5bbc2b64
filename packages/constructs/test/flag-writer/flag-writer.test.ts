import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FlagTable, FlagWriter, RegionalPath } from '../../src';
import { ACCOUNT, REGION, actionsOf } from '../support/small-region';

/** A region's whole path plus the flag writer, cdk-nag on: the IAM of everything that can touch the table. */
function synth() {
  const app = new App();
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new Stack(app, 'Region', { env: { account: ACCOUNT, region: REGION } });
  const flags = new FlagTable(stack, 'Flags', { stage: 'pr-7', regions: [REGION], production: false });
  const path = new RegionalPath(stack, 'Path', {
    stage: 'pr-7',
    flagTable: flags.table,
    services: ['checkout', 'search'],
    regions: [REGION],
  });
  const writer = new FlagWriter(stack, 'Writer', {
    stage: 'pr-7',
    flagTable: flags.table,
    network: path.network,
    encryptionKey: path.encryptionKey,
    auditQueue: path.audit.queue,
    regions: [REGION],
    code: lambda.Code.fromInline('exports.handler = async () => ({ batchItemFailures: [] })'),
  });
  app.synth();
  return { template: Template.fromStack(stack), writer, stack };
}

/** Does this statement's Action allow `action` (exactly, or through a service or full wildcard)? */
function allows(statement: Record<string, any>, action: string): boolean {
  const [service] = action.split(':');
  return (
    statement.Effect === 'Allow' && actionsOf(statement).some((a) => a === action || a === `${service}:*` || a === '*')
  );
}

/** Function name by execution-role logical id (each FfcFunction has a role of its own). */
function functionsByRole(template: Template): Map<string, string> {
  return new Map(
    Object.values(template.findResources('AWS::Lambda::Function')).map((fn) => [
      fn.Properties.Role['Fn::GetAtt'][0],
      fn.Properties.FunctionName,
    ]),
  );
}

describe('FlagWriter: operators write through the queue, only the connector writes the table', () => {
  const { template } = synth();

  test('PutItem on the flag table: the flag writer, the validator (restores) and the rollback, nobody else', () => {
    const byRole = functionsByRole(template);
    const holders = new Set<string>();
    for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role']) {
      for (const [id, resource] of Object.entries(template.findResources(type))) {
        const documents =
          type === 'AWS::IAM::Role'
            ? (resource.Properties.Policies ?? []).map((p: any) => p.PolicyDocument)
            : [resource.Properties.PolicyDocument];
        const statements = documents.flatMap((d: any) => d.Statement);
        if (!statements.some((s: Record<string, any>) => allows(s, 'dynamodb:PutItem'))) continue;
        const roles: string[] =
          type === 'AWS::IAM::Role' ? [id] : (resource.Properties.Roles ?? []).map((r: any) => r.Ref);
        if (roles.length === 0) holders.add(`unattached ${type} ${id}`);
        for (const role of roles) holders.add(byRole.get(role) ?? `role ${role}`);
      }
    }
    expect([...holders].sort()).toEqual(['pr-7-flag-writer', 'pr-7-rollback', 'pr-7-validator']);
  });

  test('the operator policy sends write requests and reads the table, and cannot write it', () => {
    const [policy] = Object.values(template.findResources('AWS::IAM::ManagedPolicy'));
    const statements: Record<string, any>[] = policy.Properties.PolicyDocument.Statement;
    const queueStatement = statements.find((s) => allows(s, 'sqs:SendMessage'));
    expect(queueStatement?.Resource['Fn::GetAtt'][0]).toMatch(/^WriterQueue/);
    expect(statements.some((s) => allows(s, 'dynamodb:GetItem') && allows(s, 'dynamodb:Query'))).toBe(true);
    for (const write of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']) {
      expect(statements.filter((s) => allows(s, write))).toEqual([]);
    }
  });

  test('one request per invocation, failures reported per message, the queue dead-letters after three', () => {
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).filter((m) =>
      m.Properties.EventSourceArn['Fn::GetAtt']?.[0]?.startsWith('WriterQueue'),
    );
    expect(mappings).toHaveLength(1);
    expect(mappings[0].Properties).toMatchObject({ BatchSize: 1, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    const [queue] = Object.values(template.findResources('AWS::SQS::Queue')).filter(
      (q) => q.Properties.QueueName === 'pr-7-flag-writer',
    );
    expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBe(3);
    expect(queue.Properties.KmsMasterKeyId).toBeDefined();
  });
});
