import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { FlagTable, RegionError } from '../../src';

const REGIONS = ['eu-west-1', 'us-east-1', 'ap-southeast-2'];

function synth(props: { production?: boolean; region?: string } = {}): Template {
  const stack = new Stack(new App(), 'Store', {
    env: { account: '123456789012', region: props.region ?? 'eu-west-1' },
  });
  new FlagTable(stack, 'Flags', { stage: 'pr-7', regions: REGIONS, production: props.production });
  return Template.fromStack(stack);
}

describe('FlagTable', () => {
  test('is a global table with a replica in every region and a stream of old and new images', () => {
    synth().hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'pr-7-flags',
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      SSESpecification: { SSEEnabled: true },
    });
    const tables = synth().findResources('AWS::DynamoDB::GlobalTable');
    const replicaRegions = Object.values(tables)[0].Properties.Replicas.map((r: { Region: string }) => r.Region);
    expect(replicaRegions.sort()).toEqual([...REGIONS].sort());
  });

  test('a test stage is destroyed with its stack; nothing is retained', () => {
    const template = synth({ production: false });
    template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: Match.arrayWith([
        Match.objectLike({
          DeletionProtectionEnabled: false,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
        }),
      ]),
    });
  });

  test('production retains the table and turns on deletion protection and point-in-time recovery', () => {
    const template = synth({ production: true });
    template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: Match.arrayWith([
        Match.objectLike({
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      ]),
    });
  });

  test('the stack must be in one of the flag regions', () => {
    expect(() => synth({ region: 'sa-east-1' })).toThrow(RegionError);
    expect(() => synth({ region: 'sa-east-1' })).toThrow(/must be one of the flag regions/);
  });
});
