import { App } from 'aws-cdk-lib';
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

  test.each([
    [{ ...CONTEXT, stage: undefined }, /missing context 'stage'/],
    [{ ...CONTEXT, production: 'yes' }, /'production' must be true or false/],
    [{ ...CONTEXT, regions: 'eu-west-1,moon-1' }, /must list AWS region codes/],
    [{ ...CONTEXT, primaryRegion: 'sa-east-1' }, /primaryRegion 'sa-east-1' is not one of the regions/],
  ])('bad configuration is a clear error (%#)', (context, message) => {
    expect(() => buildApp(new App({ context }))).toThrow(message);
  });
});
