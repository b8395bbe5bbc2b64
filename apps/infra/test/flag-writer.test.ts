import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../src/app';

const CONTEXT = {
  stage: 'pr-7',
  costCentre: 'cc-1234',
  owner: 'platform',
  regions: ['eu-west-1', 'us-east-1'],
};

/** Every IAM statement of a template with the role (or managed policy) it is attached to. */
function statementsByHolder(template: Template): Array<{ holder: string; statement: Record<string, any> }> {
  const functionByRole = new Map(
    Object.values(template.findResources('AWS::Lambda::Function')).map((fn) => [
      fn.Properties.Role?.['Fn::GetAtt']?.[0],
      String(fn.Properties.FunctionName),
    ]),
  );
  const found: Array<{ holder: string; statement: Record<string, any> }> = [];
  for (const [id, policy] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
    for (const statement of policy.Properties.PolicyDocument.Statement) {
      for (const role of policy.Properties.Roles ?? []) {
        found.push({ holder: functionByRole.get(role.Ref) ?? `role ${role.Ref} (${id})`, statement });
      }
    }
  }
  for (const [id, policy] of Object.entries(template.findResources('AWS::IAM::ManagedPolicy'))) {
    for (const statement of policy.Properties.PolicyDocument.Statement) {
      found.push({ holder: `managed ${id}`, statement });
    }
  }
  for (const [id, role] of Object.entries(template.findResources('AWS::IAM::Role'))) {
    for (const inline of role.Properties.Policies ?? []) {
      for (const statement of inline.PolicyDocument.Statement) found.push({ holder: `inline ${id}`, statement });
    }
  }
  return found;
}

function allowsPutItem(statement: Record<string, any>): boolean {
  const actions: string[] = [statement.Action].flat();
  return (
    statement.Effect === 'Allow' &&
    actions.some((a) => ['dynamodb:PutItem', 'dynamodb:*', '*'].includes(a) || a === 'dynamodb:Put*')
  );
}

describe('the stage: who may write the flag table', () => {
  const app = buildApp(new App({ context: CONTEXT }));
  // Every stack and nested stack (fan-out shards) of the stage.
  const stacks = app.node.findAll().filter((c): c is Stack => Stack.isStack(c));

  test('PutItem: the flag writer (home region only), the validators and the rollbacks — no operator, no other function', () => {
    const holders = new Map<string, Set<string>>();
    for (const stack of stacks) {
      const names = new Set<string>();
      for (const { holder, statement } of statementsByHolder(Template.fromStack(stack))) {
        if (allowsPutItem(statement)) names.add(holder);
      }
      if (names.size > 0) holders.set(stack.stackName, names);
    }
    expect(Object.fromEntries([...holders].map(([stack, names]) => [stack, [...names].sort()]))).toEqual({
      'pr-7-region-eu-west-1': ['pr-7-flag-writer', 'pr-7-rollback', 'pr-7-validator'],
      'pr-7-region-us-east-1': ['pr-7-rollback', 'pr-7-validator'],
    });
  });

  test('the home region has the writer queue and the operator policy; other regions have neither', () => {
    const home = Template.fromStack(app.node.findChild('pr-7-region-eu-west-1') as Stack);
    home.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'pr-7-flag-writer' });
    home.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    const other = Template.fromStack(app.node.findChild('pr-7-region-us-east-1') as Stack);
    expect(
      Object.values(other.findResources('AWS::SQS::Queue')).filter(
        (q) => q.Properties.QueueName === 'pr-7-flag-writer',
      ),
    ).toEqual([]);
  });
});
