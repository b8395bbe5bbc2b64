import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FlagTable, RegionalPath } from '../../src';

/** The verification state machine exactly as synthesised for one region (references become placeholders). */
export function synthesisedVerificationDefinition(): Record<string, unknown> {
  const stack = new Stack(new App(), 'Region', { env: { account: '123456789012', region: 'eu-west-1' } });
  const flags = new FlagTable(stack, 'Flags', { stage: 'pr-7', regions: ['eu-west-1'] });
  const code = lambda.Code.fromInline('exports.handler = async () => ({})');
  new RegionalPath(stack, 'Path', {
    stage: 'pr-7',
    flagTable: flags.table,
    services: ['checkout-api', 'search-api'],
    regions: ['eu-west-1'],
    handlers: {
      validator: code,
      cacheUpdater: code,
      verificationScheduler: code,
      consistencyChecker: code,
      rollback: code,
      auditWriter: code,
    },
  });
  const [machine] = Object.values(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'));
  const [, parts] = machine.Properties.DefinitionString['Fn::Join'] as [string, unknown[]];
  // Attributes become ARN-shaped strings (a Task's Resource must look like one); other references their logical id.
  const render = (part: unknown) => {
    if (typeof part === 'string') return part;
    const { Ref: ref, 'Fn::GetAtt': getAtt } = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
    if (ref === 'AWS::Partition') return 'aws';
    if (getAtt) return `arn:aws:lambda:eu-west-1:123456789012:function:${getAtt[0]}`;
    return ref ?? 'unresolved';
  };
  return JSON.parse(parts.map(render).join(''));
}
