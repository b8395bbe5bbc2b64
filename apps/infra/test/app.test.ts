import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../src/app';

const CONTEXT = {
  stage: 'pr-7',
  costCentre: 'cc-1234',
  owner: 'platform',
  regions: ['eu-west-1', 'us-east-1', 'ap-northeast-1'],
};

function stackTemplate(context: Record<string, unknown>, stackName = 'pr-7-flag-store'): Template {
  const app = buildApp(new App({ context }));
  return Template.fromStack(app.node.findChild(stackName) as never);
}

describe('the CDK app', () => {
  test('names the table from the stage and tags it with cost centre, owner and environment', () => {
    stackTemplate(CONTEXT).hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'pr-7-flags',
      Replicas: Match.arrayWith([
        Match.objectLike({
          Region: 'eu-west-1',
          Tags: Match.arrayWith([
            { Key: 'ffc:cost-centre', Value: 'cc-1234' },
            { Key: 'ffc:environment', Value: 'pr-7' },
            { Key: 'ffc:owner', Value: 'platform' },
          ]),
        }),
      ]),
    });
  });

  test('production comes from config alone', () => {
    stackTemplate({ ...CONTEXT, production: 'true' }).hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
    });
    stackTemplate({ ...CONTEXT, production: 'false' }).hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Delete',
    });
  });

  test('one audit history: a Multi-AZ domain in the primary region alone, the other regions forwarding to its bus', () => {
    // primaryRegion is not the first region here, so "primary" cannot mean "first" by accident.
    const app = buildApp(new App({ context: { ...CONTEXT, production: 'true', primaryRegion: 'us-east-1' } }));
    const regional = (region: string) => app.node.findChild(`pr-7-region-${region}`) as Stack;
    const primary = Template.fromStack(regional('us-east-1'));
    primary.resourceCountIs('AWS::OpenSearchService::Domain', 1);
    primary.hasResourceProperties('AWS::OpenSearchService::Domain', {
      ClusterConfig: Match.objectLike({
        ZoneAwarenessEnabled: true,
        DedicatedMasterEnabled: true,
        DedicatedMasterCount: 3,
      }),
    });
    primary.hasResourceProperties('AWS::Events::Rule', { Name: 'pr-7-audit-history' });
    for (const region of ['eu-west-1', 'ap-northeast-1']) {
      const other = Template.fromStack(regional(region));
      other.resourceCountIs('AWS::OpenSearchService::Domain', 0);
      const [forwarding] = Object.values(
        other.findResources('AWS::Events::Rule', { Properties: { Name: 'pr-7-audit-forwarding' } }),
      );
      expect(JSON.stringify(forwarding.Properties.Targets[0].Arn)).toContain(':events:us-east-1:');
      // Deployed after the primary region's stack, whose rule takes what they forward.
      expect(regional(region).dependencies).toContain(regional('us-east-1'));
    }
  });

  test.each([
    [{ ...CONTEXT, stage: undefined }, /missing context 'stage'/],
    [{ ...CONTEXT, production: 'yes' }, /'production' must be true or false/],
    [{ ...CONTEXT, regions: 'eu-west-1,moon-1' }, /must list AWS region codes/],
    [{ ...CONTEXT, primaryRegion: 'sa-east-1' }, /primaryRegion 'sa-east-1' is not one of the regions/],
  ])('bad configuration is a clear error (%#)', (context, message) => {
    expect(() => buildApp(new App({ context }))).toThrow(message);
  });
});
