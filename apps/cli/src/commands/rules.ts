import { readFileSync } from 'fs';
import {
  createValidationContext,
  findRule,
  FlagChange,
  FlagChangeParseError,
  parseFlagChangeJson,
  rules,
  serviceCatalogue,
  validateChange,
  ValidationResult,
} from '@ffc/rules';
import { Command, Option } from 'commander';
import type { CliIo } from '../io';

interface ValidateOptions {
  readonly stage?: string;
  readonly production?: boolean;
  readonly current?: string;
  readonly json?: boolean;
}

/** Why a file could not be judged at all (exit code 2). */
interface Unreadable {
  readonly file: string;
  readonly error: { readonly path: string; readonly message: string };
}
interface Judged {
  readonly file: string;
  readonly result: ValidationResult;
}
/** One file's outcome: a verdict, or why there is none. */
type FileOutcome = Judged | Unreadable;

/** `ffc validate`, `ffc rules list|show` and `ffc services list`. */
export function registerRulesCommands(program: Command, io: CliIo): void {
  program
    .command('validate')
    .description('Validate flag-change JSON files against every rule (exit 0 valid, 1 invalid, 2 unreadable)')
    .argument('<files...>', 'flag-change JSON documents')
    .addOption(
      new Option('--stage <name>', "validate against this stage (default: each change's own stage)").conflicts(
        'production',
      ),
    )
    .addOption(
      new Option('--production', "validate against the production policy of each change's stage").conflicts('stage'),
    )
    .option('--current <file>', 'the current version of the flag, for rules that compare with it')
    .option('--json', 'one JSON object per file')
    .action((files: string[], options: ValidateOptions) => {
      const current = options.current ? readChange(options.current) : undefined;
      if (current && 'error' in current) {
        report(io, current, options.json);
        process.exitCode = 2;
        return;
      }
      const outcomes = files.map((file) => validateFile(file, options, current?.change));
      for (const outcome of outcomes) report(io, outcome, options.json);
      const unreadable = outcomes.some((o) => 'error' in o);
      process.exitCode = unreadable ? 2 : outcomes.some((o) => 'result' in o && !o.result.valid) ? 1 : 0;
    });

  const rulesCommand = program.command('rules').description('Inspect the business rules every flag change must pass');
  rulesCommand
    .command('list')
    .description('List every rule: id, category, severity and what it checks')
    .option('--json', 'one JSON object per rule')
    .action((options: { json?: boolean }) => {
      for (const r of rules) {
        const row = { id: r.ruleId, category: r.category, severity: r.severity, description: r.description };
        io.out(
          options.json
            ? `${JSON.stringify(row)}\n`
            : `${r.ruleId.padEnd(16)} ${r.category.padEnd(14)} ${r.severity.padEnd(8)} ${r.description}\n`,
        );
      }
    });
  rulesCommand
    .command('show')
    .description('Show one rule: its description, message, field and json-rules-engine conditions')
    .argument('<id>', 'rule id, e.g. FFC-ROLLOUT-004')
    .action((id: string) => {
      const rule = findRule(id);
      if (!rule) {
        io.err(`ffc: no rule '${id}': list the ids with \`ffc rules list\`\n`);
        process.exitCode = 2;
        return;
      }
      io.out(
        [
          `${rule.ruleId} (${rule.category}, ${rule.severity})`,
          rule.description,
          `field:   ${rule.path || '(document)'}`,
          `message: ${rule.message}`,
          'conditions (json-rules-engine):',
          JSON.stringify(rule.properties.conditions, null, 2),
          '',
        ].join('\n'),
      );
    });

  program
    .command('services')
    .description('Inspect the service catalogue')
    .command('list')
    .description('List the catalogue: service id, team, tier, allowed flag types and regions')
    .option('--json', 'one JSON object per service')
    .action((options: { json?: boolean }) => {
      for (const s of serviceCatalogue.services) {
        io.out(
          options.json
            ? `${JSON.stringify(s)}\n`
            : `${s.id.padEnd(32)} ${s.team.padEnd(14)} tier-${s.tier} ${s.allowedFlagTypes.join(',').padEnd(26)} ${s.regions.length} regions${s.lifecycle === 'deprecated' ? ' (deprecated)' : ''}\n`,
        );
      }
    });
}

function readChange(file: string): { readonly file: string; readonly change: FlagChange } | Unreadable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { file, error: { path: '', message: `cannot read ${file}: ${(error as Error).message}` } };
  }
  try {
    return { file, change: parseFlagChangeJson(text) };
  } catch (error) {
    if (error instanceof FlagChangeParseError) return { file, error: { path: error.path, message: error.message } };
    throw error;
  }
}

function validateFile(file: string, options: ValidateOptions, current: FlagChange | undefined): FileOutcome {
  const read = readChange(file);
  if ('error' in read) return read;
  const { change } = read;
  const context = createValidationContext({
    now: Date.now(),
    stage: options.stage ?? change.stage,
    production: options.production ?? false,
    current,
  });
  return { file, result: validateChange(change, context) };
}

function report(io: CliIo, outcome: FileOutcome, json: boolean | undefined): void {
  if (json) {
    io.out(`${JSON.stringify('error' in outcome ? outcome : { file: outcome.file, ...outcome.result })}\n`);
    return;
  }
  if ('error' in outcome) {
    io.out(`${outcome.file}: unreadable: ${outcome.error.message}\n`);
    return;
  }
  const { valid, violations } = outcome.result;
  io.out(
    `${outcome.file}: ${valid ? 'valid' : 'invalid'}${violations.length ? ` (${violations.length} finding(s))` : ''}\n`,
  );
  for (const v of violations) {
    io.out(`  ${v.severity.padEnd(7)} ${v.ruleId.padEnd(16)} ${v.path || '(document)'}: ${v.message}\n`);
  }
}
