import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FlagTable, RegionalPath } from '../../src';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';

/** One region's path with three services, cdk-nag on (synthesis throws on an unacknowledged finding). */
export function smallRegion(production = false) {
  const app = new App();
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new Stack(app, 'Region', { env: { account: ACCOUNT, region: REGION } });
  const flags = new FlagTable(stack, 'Flags', { stage: 'pr-7', regions: [REGION, 'us-east-1'], production });
  const path = new RegionalPath(stack, 'Path', {
    stage: 'pr-7',
    production,
    flagTable: flags.table,
    services: ['checkout', 'search', 'catalog'],
    regions: [REGION, 'us-east-1'],
  });
  app.synth();
  return { stack, path, template: Template.fromStack(stack) };
}

/** The statements of the default policy of the role whose logical id starts with `rolePrefix`. */
export function roleStatements(template: Template, rolePrefix: string): Array<Record<string, any>> {
  const policies = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) =>
    id.startsWith(rolePrefix),
  );
  return policies.flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
}

export const actionsOf = (statement: Record<string, any>): string[] => [statement.Action].flat();

/** The one resource of a type whose logical id starts with `prefix`. */
export function resource(template: Template, type: string, prefix: string): Record<string, any> {
  const found = Object.entries(template.findResources(type)).filter(([id]) => id.startsWith(prefix));
  if (found.length !== 1) throw new Error(`expected one ${type} starting with ${prefix}, found ${found.length}`);
  return found[0][1];
}
