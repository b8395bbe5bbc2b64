import { AuditConfigurationError } from './errors';
import { auditIndexPattern } from './index-names';

/** How long a stage keeps its audit trail unless its configuration says otherwise. */
export const DEFAULT_RETENTION_DAYS = { production: 400, test: 14 } as const;

const MAX_RETENTION_DAYS = 3650;
/** A monthly partition holds events up to 31 days younger than the index itself. */
const PARTITION_SPAN_DAYS = 31;

export interface AuditRetentionSettings {
  readonly stage: string;
  /** Production stages keep their trail long; test stages briefly. */
  readonly production: boolean;
  /** @default - DEFAULT_RETENTION_DAYS for the kind of stage */
  readonly retentionDays?: number;
}

export function auditRetentionDays(settings: AuditRetentionSettings): number {
  const days =
    settings.retentionDays ?? (settings.production ? DEFAULT_RETENTION_DAYS.production : DEFAULT_RETENTION_DAYS.test);
  if (!Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS) {
    throw new AuditConfigurationError(`retentionDays must be a whole number of days in 1..${MAX_RETENTION_DAYS}`);
  }
  return days;
}

/**
 * The ISM policy that deletes a partition once its youngest possible event is older than the retention:
 * an index is only deleted `retention + 31` days after it was created, so no event is kept less than asked.
 */
export function auditIsmPolicy(settings: AuditRetentionSettings): Record<string, unknown> {
  const days = auditRetentionDays(settings);
  return {
    policy: {
      description: `ffc audit trail of stage ${settings.stage}: keep every event at least ${days} days`,
      default_state: 'hot',
      states: [
        {
          name: 'hot',
          actions: [],
          transitions: [{ state_name: 'delete', conditions: { min_index_age: `${days + PARTITION_SPAN_DAYS}d` } }],
        },
        { name: 'delete', actions: [{ delete: {} }], transitions: [] },
      ],
      // Attaches the policy to every partition the template creates, with no per-index setting.
      ism_template: [{ index_patterns: [auditIndexPattern(settings.stage)], priority: 100 }],
    },
  };
}
