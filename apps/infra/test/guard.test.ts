import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { buildApp } from '../src/app';
import { stageConfig } from '../src/config';
import { TEST_STAGE_SIZING, addCfnGuard } from '../src/guard';

/**
 * The findings of the Control Tower proactive controls (`-c cfnGuard=true`) that are still open, each with what
 * closes it (README, "Gates and reviews"). A new finding fails this test, and so does one that was fixed.
 */
const OPEN_FINDINGS: string[] = [];

interface ValidationReport {
  pluginReports: {
    pluginName: string;
    violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
  }[];
}

/** Guard's rule sets and binary as the plugin runs them (its package's layout). */
const GUARD_PACKAGE = path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));
const GUARD_RULES = path.join(GUARD_PACKAGE, 'rules', 'control-tower', 'cfn-guard');
const GUARD_BINARY = path.join(
  GUARD_PACKAGE,
  'bin',
  process.platform === 'darwin' ? 'macos' : 'ubuntu',
  os.arch() === 'arm64' ? 'aarch64' : 'x86_64',
  'cfn-guard',
);

/** One synthesis of one region (the primary, so the flag store and the audit domain are in it), kept for the tests. */
function synthesiseWithCfnGuard(context: Record<string, unknown>): { outdir: string; report: ValidationReport } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ffc-cfn-guard-'));
  buildApp(new App({ outdir, context: { ...context, cfnGuard: 'true' } })).synth();
  const report: ValidationReport = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
  return { outdir, report };
}

function guardPluginReport(report: ValidationReport): ValidationReport['pluginReports'][number] {
  const guard = report.pluginReports.find((r) => r.pluginName === 'cdk-validator-cfnguard');
  // A plugin that failed to run (cfn-guard's output over the buffer, for one) must not read as a clean report.
  if (!guard) throw new Error('cfn-guard did not report: see validation-report.json of a `cfnGuard=true` synth');
  return guard;
}

/**
 * CDK hands validation plugins the top-level templates only, so the fan-out shards (nested stacks) are checked
 * here with the plugin's own binary and rule sets: `<rule> <template>/<logical id>` per finding (SARIF output,
 * a fraction of the size of guard's JSON).
 */
function nestedStackFindings(outdir: string): string[] {
  const templates = fs.readdirSync(outdir).filter((f) => f.endsWith('.nested.template.json'));
  if (templates.length === 0) throw new Error(`no nested templates in ${outdir}: the fan-out shards moved?`);
  const run = spawnSync(
    GUARD_BINARY,
    [
      'validate',
      '--rules',
      GUARD_RULES,
      ...templates.flatMap((t) => ['--data', path.join(outdir, t)]),
      '--output-format',
      'sarif',
      '--show-summary',
      'none',
      '--structured',
    ],
    { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 },
  );
  // cfn-guard exits 19 when a rule fails, 0 when all pass; anything else is guard itself failing.
  if (run.status !== 0 && run.status !== 19) throw new Error(`cfn-guard failed (${run.status}): ${run.stderr}`);
  const sarif = JSON.parse(run.stdout) as {
    runs: {
      results: {
        ruleId: string;
        message: { text: string };
        locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
      }[];
    }[];
  };
  return [
    ...new Set(
      sarif.runs.flatMap((r) =>
        r.results.map((result) => {
          const template = path.basename(result.locations[0].physicalLocation.artifactLocation.uri);
          const resource = /Path=\/Resources\/([^/\]]+)/.exec(result.message.text)?.[1] ?? '?';
          return `${result.ruleId} ${template}/${resource}`;
        }),
      ),
    ),
  ].sort();
}

describe('Control Tower proactive controls (cdk-validator-cfnguard)', () => {
  let synthesised: { outdir: string; report: ValidationReport };
  beforeAll(() => {
    synthesised = synthesiseWithCfnGuard({
      stage: 'pr-7',
      costCentre: 'cc-1',
      owner: 'platform',
      regions: ['eu-west-1'],
    });
  });
  afterAll(() => fs.rmSync(synthesised.outdir, { recursive: true, force: true }));

  test('a test stage has exactly the open findings; sizing by design and CDK providers are acknowledged', () => {
    const report = guardPluginReport(synthesised.report);
    const findings = report.violations.flatMap((v) =>
      v.violatingConstructs.map((c) => `${v.ruleName} ${c.constructPath}`),
    );
    expect([...new Set(findings)].sort()).toEqual(OPEN_FINDINGS);
  });

  test('the fan-out shards (nested stacks, which CDK does not hand to plugins) pass every control', () => {
    expect(nestedStackFindings(synthesised.outdir)).toEqual([]);
  });

  test('only a test stage acknowledges the sizing controls', () => {
    const acknowledged = (production: boolean) => {
      const app = new App();
      addCfnGuard(app, {
        ...stageConfig(
          new App({ context: { stage: 'pr-7', costCentre: 'c', owner: 'o', regions: ['eu-west-1'] } }).node,
        ),
        production,
      });
      return JSON.stringify(app.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY));
    };
    for (const { id } of TEST_STAGE_SIZING) expect(acknowledged(false)).toContain(id);
    expect(acknowledged(true)).not.toContain('cdk-validator-cfnguard::');
  });
});
