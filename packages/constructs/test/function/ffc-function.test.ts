import * as fs from 'node:fs';
import * as path from 'node:path';
import { HANDLER_CALLS, HANDLER_CALLS_METADATA } from '../../src';
import { actionsOf, roleStatements, smallRegion } from '../support/small-region';

const FUNCTIONS = [
  'validator',
  'cacheUpdater',
  'consistencyChecker',
  'rollback',
  'auditWriter',
  'verificationScheduler',
];

describe('FfcFunction', () => {
  const { template } = smallRegion();

  test('roles have generated names: IAM names are account-global and every region deploys the same six roles', () => {
    const roles = Object.values(template.findResources('AWS::IAM::Role'));
    expect(roles.length).toBeGreaterThanOrEqual(FUNCTIONS.length);
    for (const role of roles) expect(role.Properties.RoleName).toBeUndefined();
  });

  test('each function has a security group of its own', () => {
    const groups = Object.values(template.findResources('AWS::Lambda::Function'))
      .filter((fn) => fn.Properties.FunctionName)
      .map((fn) => JSON.stringify(fn.Properties.VpcConfig.SecurityGroupIds));
    expect(groups).toHaveLength(FUNCTIONS.length);
    expect(new Set(groups).size).toBe(FUNCTIONS.length);
  });

  test('network-interface actions are on "*" only where EC2 has no resource-level permission', () => {
    for (const name of FUNCTIONS) {
      for (const statement of roleStatements(template, `Path${name}Role`)) {
        if (!actionsOf(statement).some((a) => a.startsWith('ec2:'))) continue;
        if (statement.Resource === '*') expect(actionsOf(statement)).toEqual(['ec2:DescribeNetworkInterfaces']);
      }
    }
  });

  test('the template records what each handler calls, for the deploy preflight', () => {
    for (const [id, fn] of Object.entries(template.findResources('AWS::Lambda::Function'))) {
      const name = FUNCTIONS.find((f) => id.startsWith(`Path${f}`) && !id.includes('Role'));
      if (name) expect(fn.Metadata[HANDLER_CALLS_METADATA]).toEqual(HANDLER_CALLS[name as keyof typeof HANDLER_CALLS]);
    }
  });

  test('the validator and rollback get the item actions they call on the flag table, not the full read-write set', () => {
    const tableActions = (role: string) =>
      roleStatements(template, role)
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('dynamodb:') && !/Stream|GetRecords|GetShardIterator/.test(a));
    expect(tableActions('PathvalidatorRole').sort()).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
    ]);
    expect(tableActions('PathrollbackRole').sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
  });

  test('no role holds kms:Encrypt or kms:ReEncrypt*, and every KMS grant is bound to a service and a resource', () => {
    for (const name of FUNCTIONS) {
      for (const statement of roleStatements(template, `Path${name}Role`)) {
        const kms = actionsOf(statement).filter((a) => a.startsWith('kms:'));
        if (kms.length === 0) continue;
        expect(kms.every((a) => a === 'kms:GenerateDataKey' || a === 'kms:Decrypt')).toBe(true);
        expect(Object.keys(statement.Condition.StringEquals)).toEqual(['kms:ViaService']);
        expect(Object.keys(statement.Condition.ArnLike)[0]).toMatch(/^kms:EncryptionContext:/);
      }
    }
  });
});

describe('FfcFunction: the Node.js options match the bundles', () => {
  const { template } = smallRegion();

  test('no function turns on --enable-source-maps, since the bundles ship no source map', () => {
    const handlers = path.join(__dirname, '..', '..', 'assets', 'handlers');
    const maps = fs.readdirSync(handlers).filter((name) => fs.existsSync(path.join(handlers, name, 'index.js.map')));
    expect(maps).toEqual([]);
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.Environment?.Variables?.NODE_OPTIONS ?? '').not.toContain('--enable-source-maps');
    }
  });
});
