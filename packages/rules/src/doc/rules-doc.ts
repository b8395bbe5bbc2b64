import { RuleDefinition } from '../engine/rule-types';

/** RULES.md, generated from the registry so the reference can never drift from the code. */
export function renderRulesDoc(rules: readonly RuleDefinition[]): string {
  const categories = [...new Set(rules.map((r) => r.category))];
  const lines = [
    '# Flag-change rules',
    '',
    '<!-- Generated from the rule registry by `npx projen rules:doc` (in packages/rules). Do not edit. -->',
    '',
    `${rules.length} rules. An **error** rejects the change; a **warning** is reported and lets it through.`,
    'Every rule is authored in json-rules-engine format (`src/rules/<category>.ts`) and compiled at load time.',
    '',
    'The **safety valves** (turning a flag off, engaging a kill switch, a rollback by the verifier or to the last',
    'known good version) are refused only by the rules marked **holds**: integrity (schema, sizes, catalogue,',
    'identity, ownership, secrets, loop guards). Every other rule **yields**: no cooldown, window, freeze, rate,',
    'ramp, tier wait or expiry ever blocks the emergency brake.',
    '',
    '| category | rules |',
    '| --- | --- |',
    ...categories.map((c) => `| [${c}](#${c}) | ${rules.filter((r) => r.category === c).length} |`),
  ];
  for (const category of categories) {
    lines.push(
      '',
      `## ${category}`,
      '',
      '| id | severity | safety valves | field | rule, and why it exists |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const r of rules.filter((rule) => rule.category === category)) {
      const valves = r.integrity ? 'holds' : 'yields';
      lines.push(
        `| ${r.ruleId} | ${r.severity} | ${valves} | \`${r.path || '(document)'}\` | ${escapeCell(r.description)} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
