import {
  AuditConfigurationError,
  DETAIL_FIELDS,
  auditAlias,
  auditIndexPattern,
  auditIndexTemplate,
  auditIsmPolicy,
  auditMappings,
  auditPartitionIndex,
  auditRetentionDays,
} from '../src';

/** What OpenSearch does with an index pattern: `*` matches anything. */
function matches(pattern: string, index: string): boolean {
  return new RegExp(`^${pattern.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`).test(index);
}

describe('index names', () => {
  test('are derived from the stage', () => {
    expect(auditAlias('pr-142')).toBe('ffc-audit-pr-142');
    expect(auditPartitionIndex('pr-142', '2025-03-31T23:30:00-02:00')).toBe('ffc-audit-pr-142.2025.04');
  });

  test.each(['Prod', 'has space', '', 'a,b', 'a.b'])('reject stage %j', (stage) => {
    expect(() => auditAlias(stage)).toThrow(AuditConfigurationError);
    expect(() => auditAlias(stage)).toThrow(/must match/);
  });

  test("a stage's pattern never claims another stage's partitions", () => {
    expect(matches(auditIndexPattern('pr'), auditPartitionIndex('pr', '2025-01-01T00:00:00Z'))).toBe(true);
    expect(matches(auditIndexPattern('pr'), auditPartitionIndex('pr-1', '2025-01-01T00:00:00Z'))).toBe(false);
    expect(matches(auditIndexPattern('pr'), auditAlias('pr'))).toBe(false);
  });
});

describe('mappings', () => {
  const mappings = auditMappings() as { dynamic: string; properties: Record<string, any> };

  test('refuse unknown top-level fields and never grow from details', () => {
    expect(mappings.dynamic).toBe('strict');
    expect(mappings.properties.details.dynamic).toBe(false);
  });

  test('ids are keywords and times are dates', () => {
    for (const field of ['type', 'stage', 'region', 'flagKey', 'actor', 'correlationId', 'idempotencyKey']) {
      expect(mappings.properties[field].type).toBe('keyword');
    }
    expect(mappings.properties.occurredAt.type).toBe('date');
    expect(mappings.properties.indexedAt.type).toBe('date');
  });

  test('map every indexed details field of every type, and not the free-form value', () => {
    const mapped = Object.keys(mappings.properties.details.properties).sort();
    const declared = new Set(Object.values(DETAIL_FIELDS).flatMap((fields) => Object.keys(fields)));
    declared.delete('value');
    expect(mapped).toEqual([...declared].sort());
    expect(mappings.properties.details.properties.ruleIds.type).toBe('keyword');
    expect(mappings.properties.details.properties.appliedCount.type).toBe('integer');
  });
});

describe('retention', () => {
  test('is long for production and short for test stages', () => {
    expect(auditRetentionDays({ stage: 'live', production: true })).toBe(400);
    expect(auditRetentionDays({ stage: 'pr-1', production: false })).toBe(14);
    expect(auditRetentionDays({ stage: 'pr-1', production: false, retentionDays: 3 })).toBe(3);
  });

  test.each([0, -1, 2.5, 5000])('refuses %p days', (retentionDays) => {
    expect(() => auditRetentionDays({ stage: 'pr-1', production: false, retentionDays })).toThrow(
      /whole number of days in 1\.\.3650/,
    );
  });

  test('the ISM policy deletes a monthly partition only when its youngest event has expired', () => {
    const policy = auditIsmPolicy({ stage: 'pr-1', production: false, retentionDays: 7 }) as any;
    expect(policy.policy.states[0].transitions[0]).toEqual({
      state_name: 'delete',
      conditions: { min_index_age: '38d' },
    });
    expect(policy.policy.states[1].actions).toEqual([{ delete: {} }]);
    expect(policy.policy.ism_template).toEqual([{ index_patterns: ['ffc-audit-pr-1.*'], priority: 100 }]);
  });

  test('production keeps its trail over a year', () => {
    const policy = auditIsmPolicy({ stage: 'live', production: true }) as any;
    expect(policy.policy.states[0].transitions[0].conditions.min_index_age).toBe('431d');
  });
});

describe('auditIndexTemplate', () => {
  test('adds every partition to the read alias', () => {
    const template = auditIndexTemplate('pr-1', 0) as any;
    expect(template.index_patterns).toEqual(['ffc-audit-pr-1.*']);
    expect(template.template.aliases).toEqual({ 'ffc-audit-pr-1': {} });
    expect(template.template.settings.number_of_replicas).toBe(0);
  });
});
