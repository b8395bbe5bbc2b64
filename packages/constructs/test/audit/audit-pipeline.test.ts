import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  AuditPipeline,
  AvailabilityZonesError,
  FfcFunction,
  OPENSEARCH_LOG_DELIVERY_POLICY_NAME,
  OpenSearchLogDelivery,
} from '../../src';
import { SingleZoneNetwork } from '../support/single-zone-network';
import { ACCOUNT, REGION, actionsOf, resource, roleStatements, smallRegion } from '../support/small-region';

const { template } = smallRegion();
const domain = () => resource(template, 'AWS::OpenSearchService::Domain', 'PathAuditDomain').Properties;

describe('AuditPipeline: the domain', () => {
  test('in the VPC, HTTPS only with TLS 1.2, node-to-node and at-rest encryption, fine-grained access', () => {
    template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      VPCOptions: { SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() },
      DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-2019-07' },
      NodeToNodeEncryptionOptions: { Enabled: true },
      EncryptionAtRestOptions: { Enabled: true, KmsKeyId: Match.anyValue() },
      AdvancedSecurityOptions: { Enabled: true, MasterUserOptions: { MasterUserARN: Match.anyValue() } },
    });
  });

  test('a production domain refuses a network with fewer than two Availability Zones', () => {
    const stack = new Stack(new App(), 'Region', { env: { account: ACCOUNT, region: REGION } });
    const network = new SingleZoneNetwork(stack, 'Network');
    const encryptionKey = new kms.Key(stack, 'Key');
    const writer = new FfcFunction(stack, 'Writer', {
      stage: 'pr-7',
      purpose: 'audit-writer',
      code: lambda.Code.fromInline('exports.handler = async () => ({})'),
      handlerCalls: ['es:ESHttpPost'],
      network,
      encryptionKey,
      timeout: Duration.seconds(60),
    });
    const pipeline = (production: boolean) =>
      new AuditPipeline(stack, `Audit${production}`, { stage: 'pr-7', network, encryptionKey, writer, production });
    expect(() => pipeline(true)).toThrow(AvailabilityZonesError);
    expect(() => pipeline(false)).not.toThrow();
  });
});

describe('AuditPipeline: the writer cannot erase the audit', () => {
  test('the fine-grained-access master user is an admin role apart from the writer', () => {
    const master = domain().AdvancedSecurityOptions.MasterUserOptions.MasterUserARN;
    expect(master).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^PathAuditAdmin/), 'Arn'] });
  });

  test('the writer holds es:ESHttpPost on the bulk API and no other OpenSearch action', () => {
    const es = roleStatements(template, 'PathauditWriterRole').filter((s) =>
      actionsOf(s).some((a) => a.startsWith('es:')),
    );
    expect(es).toHaveLength(1);
    expect(es[0].Action).toBe('es:ESHttpPost');
    expect(JSON.stringify(es[0].Resource)).toMatch(/:domain\/pr-7-audit\/_bulk"\]\]}$/);
  });

  test("the domain's own policy admits the writer to POST /_bulk only", () => {
    const [writer] = domain().AccessPolicies.Statement.filter((s: any) => s.Sid === 'WriterBulkOnly');
    expect(writer.Action).toBe('es:ESHttpPost');
    expect(JSON.stringify(writer.Principal.AWS)).toContain('PathauditWriterRole');
    expect(JSON.stringify(writer.Resource)).toContain(':domain/pr-7-audit/_bulk');
    const actions = domain()
      .AccessPolicies.Statement.filter((s: any) => JSON.stringify(s.Principal).includes('auditWriter'))
      .flatMap(actionsOf);
    expect(actions).toEqual(['es:ESHttpPost']);
  });

  test('audit logs of the domain are on, in a log group under the shared OpenSearch prefix', () => {
    const logs = domain().LogPublishingOptions;
    expect(Object.keys(logs).sort()).toEqual([
      'AUDIT_LOGS',
      'ES_APPLICATION_LOGS',
      'INDEX_SLOW_LOGS',
      'SEARCH_SLOW_LOGS',
    ]);
    expect(logs.AUDIT_LOGS.Enabled).toBe(true);
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/ffc/opensearch/pr-7/audit' });
  });

  test('the stage adds no CloudWatch Logs resource policy (10 per account and region)', () => {
    expect(template.findResources('AWS::Logs::ResourcePolicy')).toEqual({});
  });
});

describe('OpenSearchLogDelivery: one policy per account and region', () => {
  test('lets OpenSearch write to the shared prefix, for domains of this account only', () => {
    const stack = new Stack(new App(), 'Account', { env: { account: ACCOUNT, region: REGION } });
    new OpenSearchLogDelivery(stack, 'Logs');
    const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::Logs::ResourcePolicy'));
    expect(policy.Properties.PolicyName).toBe(OPENSEARCH_LOG_DELIVERY_POLICY_NAME);
    const document = JSON.stringify(policy.Properties.PolicyDocument);
    expect(document).toContain('es.amazonaws.com');
    expect(document).toContain(`\\"aws:SourceAccount\\":\\"${ACCOUNT}\\"`);
    expect(document).toContain(`:es:${REGION}:${ACCOUNT}:domain/*`);
    expect(document).toContain(`:logs:${REGION}:${ACCOUNT}:log-group:/ffc/opensearch/*`);
  });
});
