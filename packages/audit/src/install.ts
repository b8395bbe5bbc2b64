import { Client } from '@opensearch-project/opensearch';
import { auditAlias, auditIndexPattern, auditPolicyId, auditTemplateName } from './index-names';
import { auditMappings } from './mappings';
import { AuditRetentionSettings, auditIsmPolicy, auditRetentionDays } from './retention';

const ISM_PLUGIN = 'opensearch-index-management';

export interface AuditIndexInstallOptions extends AuditRetentionSettings {
  readonly client: Client;
  /** @default - 1 for production (a copy in a second zone), 0 for test stages */
  readonly replicas?: number;
}

/** Whether the retention policy is in force; without ISM nothing deletes old partitions. */
export type RetentionPolicyStatus =
  | { readonly status: 'installed'; readonly policyId: string }
  | {
      readonly status: 'unavailable';
      readonly policyId: string;
      readonly reason: string;
      /** The policy that would have been installed, to apply by hand or on a cluster with ISM. */
      readonly policy: Record<string, unknown>;
    };

export interface AuditIndexInstallation {
  readonly templateName: string;
  readonly alias: string;
  readonly indexPattern: string;
  readonly retentionDays: number;
  readonly retention: RetentionPolicyStatus;
}

/** The index template of a stage: explicit mappings, and every partition joins the stage's read alias. */
export function auditIndexTemplate(stage: string, replicas: number): Record<string, unknown> {
  return {
    index_patterns: [auditIndexPattern(stage)],
    priority: 200,
    template: {
      settings: { number_of_shards: 1, number_of_replicas: replicas },
      mappings: auditMappings(),
      aliases: { [auditAlias(stage)]: {} },
    },
    _meta: { managed_by: '@ffc/audit' },
  };
}

async function hasIsmPlugin(client: Client): Promise<boolean> {
  const plugins = await client.cat.plugins({ format: 'json' });
  return (plugins.body as unknown as Array<{ component?: string }>).some((p) => p.component === ISM_PLUGIN);
}

async function installIsmPolicy(client: Client, policyId: string, policy: Record<string, unknown>): Promise<void> {
  const existing = await client.ism.getPolicy({ policy_id: policyId }).catch((error: { statusCode?: number }) => {
    if (error.statusCode === 404) return undefined;
    throw error;
  });
  // ISM refuses to overwrite a policy unless told which revision it replaces.
  const revision = existing ? { if_seq_no: existing.body._seq_no, if_primary_term: existing.body._primary_term } : {};
  await client.ism.putPolicy({ policy_id: policyId, body: policy, ...revision });
}

/**
 * Installs (idempotently) the stage's index template and its retention policy. A cluster without the ISM
 * plugin (the local integ-test build) still gets the template; the result says retention is not enforced.
 */
export async function installAuditIndex(options: AuditIndexInstallOptions): Promise<AuditIndexInstallation> {
  const { client, stage } = options;
  const retentionDays = auditRetentionDays(options);
  const replicas = options.replicas ?? (options.production ? 1 : 0);
  const templateName = auditTemplateName(stage);
  await client.indices.putIndexTemplate({ name: templateName, body: auditIndexTemplate(stage, replicas) });

  const policyId = auditPolicyId(stage);
  const policy = auditIsmPolicy(options);
  let retention: RetentionPolicyStatus;
  if (await hasIsmPlugin(client)) {
    await installIsmPolicy(client, policyId, policy);
    retention = { status: 'installed', policyId };
  } else {
    retention = {
      status: 'unavailable',
      policyId,
      policy,
      reason: `the ISM plugin (${ISM_PLUGIN}) is not installed on this cluster, so old audit partitions are never deleted; install it or apply the policy by hand`,
    };
  }
  return { templateName, alias: auditAlias(stage), indexPattern: auditIndexPattern(stage), retentionDays, retention };
}
