import { execFileSync } from 'child_process';
import { join } from 'path';
import { runDifferential } from './support/differential';

/** Runs the differential in a plain Node process (see support/differential.ts) and returns its summary. */
function differentialInNode(count: number, seed: number, variant: 'registry' | 'planted') {
  const output = execFileSync(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      join(__dirname, 'support', 'differential.ts'),
      String(count),
      String(seed),
      variant,
    ],
    {
      env: { ...process.env, TS_NODE_PROJECT: join(__dirname, 'tsconfig.json') },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return JSON.parse(output) as Awaited<ReturnType<typeof runDifferential>>;
}

describe('compiled rules against json-rules-engine', () => {
  test('agree on 10,000 generated changes, valid and invalid, exercising most rules', () => {
    const result = differentialInNode(10_000, 20250304, 'registry');
    expect(result.disagreements).toEqual([]);
    expect(result.count).toBe(10_000);
    expect(result.rulesFired).toBeGreaterThan(100);
    expect(result.clean).toBeGreaterThan(1000);
  });

  test('catch a planted bug: ROLLOUT-002 compiled with >= instead of >', () => {
    const { disagreements } = differentialInNode(2_000, 20250304, 'planted');
    expect(disagreements.length).toBeGreaterThan(0);
    expect(disagreements[0].compiled).toContain('FFC-ROLLOUT-002');
    expect(disagreements[0].reference).not.toContain('FFC-ROLLOUT-002');
  });

  test('the same comparison also runs in-process (a small sample, so coverage sees the compiler paths)', async () => {
    expect((await runDifferential(300, 7)).disagreements).toEqual([]);
  });
});
