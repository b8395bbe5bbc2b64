import { RuleDefinition } from '../engine/rule-types';
import { SECRET_DETECTORS } from '../facts/detectors';
import { REPORTED_OUTCOMES } from '../outcomes';
import { RETIRED_RULES } from '../rules/retired';

/** RULES.md, generated from the registry so the reference can never drift from the code. */
export function renderRulesDoc(rules: readonly RuleDefinition[]): string {
  const categories = [...new Set(rules.map((r) => r.category))];
  const lines = [
    '# Flag-change rules',
    '',
    '<!-- Generated from the rule registry by `npx projen rules:doc` (in packages/rules). Do not edit. -->',
    '',
    `${rules.length} rules. An **error** rejects the change; a **warning** is reported and lets it through.`,
    'Every rule is authored in json-rules-engine format in the file of its ID prefix (`FFC-SEC-…` in',
    '`src/rules/sec.ts`) and compiled at load time.',
    '',
    'The **safety valves** (turning a flag off, engaging a kill switch, a rollback by the verifier or to the last',
    'known good version) are refused only by the rules marked **holds**: integrity (schema, sizes, catalogue,',
    'identity, ownership, secrets, loop guards). Every other rule **yields**: no cooldown, window, freeze, rate,',
    'ramp, tier wait or expiry ever blocks the emergency brake.',
    '',
    '| category | rules |',
    '| --- | --- |',
    ...categories.map((c) => `| [${c}](#${c}) | ${rules.filter((r) => r.category === c).length} |`),
    '| [outcomes that are not rules](#outcomes-that-are-not-rules) | |',
    '| [retired IDs](#retired-ids) | |',
  ];
  for (const category of categories) {
    lines.push(
      '',
      `## ${category}`,
      '',
      '| id | severity | safety valves | field | rule | why |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const r of rules.filter((rule) => rule.category === category)) {
      const valves = r.integrity ? 'holds' : 'yields';
      const field = `\`${r.path || '(document)'}\``;
      lines.push(`| ${r.ruleId} | ${r.severity} | ${valves} | ${field} | ${cell(r.description)} | ${cell(r.why)} |`);
    }
    if (category === 'security') {
      lines.push(
        '',
        '### FFC-SEC-001 detectors',
        '',
        'The violation names each detector that matched. The former rule IDs are retired, never reused.',
        '',
        '| detector | finds | pattern | former ID |',
        '| --- | --- | --- | --- |',
        ...SECRET_DETECTORS.map(
          (d) =>
            `| ${d.detector} | ${cell(d.finds)} | \`${cell(d.pattern)}\`${d.ignoreCase ? ' (any case)' : ''} | ${d.formerRuleId} |`,
        ),
      );
    }
  }
  lines.push(
    '',
    '## outcomes that are not rules',
    '',
    'IDs a validator reports in place of rule IDs when it cannot run the rules at all.',
    '',
    '| id | meaning |',
    '| --- | --- |',
    ...Object.entries(REPORTED_OUTCOMES).map(([id, meaning]) => `| ${id} | ${cell(meaning)} |`),
    '',
    '## retired IDs',
    '',
    'Merged into another rule; an old audit event that names one finds its check here. Never given to a new rule.',
    '',
    '| id | now checked by |',
    '| --- | --- |',
    ...Object.entries(RETIRED_RULES)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, successor]) => `| ${id} | ${successor} |`),
  );
  return `${lines.join('\n')}\n`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
