import { App, Validations } from 'aws-cdk-lib';
import { StageConfig } from './config';

/**
 * Control Tower controls a test stage fails by design, acknowledged for test stages only: production sets a
 * year of log retention, zone-aware OpenSearch with three or more data nodes and Redis with automatic failover.
 */
export const TEST_STAGE_SIZING: readonly { readonly id: string; readonly reason: string }[] = [
  {
    id: 'cdk-validator-cfnguard::cloudwatch_log_group_retention_period_check',
    reason: 'CT.CLOUDWATCH.PR.2: a test stage keeps its logs a week; production keeps them a year',
  },
  {
    id: 'cdk-validator-cfnguard::opensearch_data_node_fault_tolerance_check',
    reason: 'CT.OPENSEARCH.PR.14: a test stage runs one data node; production is zone-aware with 2 per zone',
  },
  {
    id: 'cdk-validator-cfnguard::elasticache_repl_grp_auto_failover_enabled_check',
    reason: 'CT.ELASTICACHE.PR.3: a test stage runs one Redis node; production has a replica and automatic failover',
  },
];

/** `-c cfnGuard=true`: the Control Tower proactive controls (cfn-guard) over every template of the stage. */
export function addCfnGuard(app: App, config: StageConfig): void {
  // Loaded only here: a development tool (a devDependency) that no default synthesis or deploy needs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
  const guard: typeof import('@cdklabs/cdk-validator-cfnguard') = require('@cdklabs/cdk-validator-cfnguard');
  // Its report of a whole stage is larger than Node's default 1 MB output buffer.
  // CDK hands it the top-level templates only: apps/infra/test/guard.test.ts checks the fan-out shards (nested
  // stacks) with the same binary and rules (README, "Gates and reviews").
  Validations.of(app).addPlugins(new guard.CfnGuardValidator({ maxBuffer: 64 * 1024 * 1024 }));
  if (!config.production) Validations.of(app).acknowledge(...TEST_STAGE_SIZING);
}
