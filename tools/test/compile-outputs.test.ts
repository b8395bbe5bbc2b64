import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * What Nx's `compile` target of a project runs and restores: the construct library ships the handler bundles
 * of @ffc/functions, so its compile must copy them (the demo runs `nx run-many -t compile`, never `projen
 * build`), and a cache hit must restore them with lib/ (an undeclared output is left stale or missing).
 */
const root = path.resolve(__dirname, '..', '..');

function compileTarget(project: string): { outputs: string[]; steps: string[] } {
  const shown = JSON.parse(
    execFileSync('npx', ['nx', 'show', 'project', project, '--json'], { cwd: root, encoding: 'utf8' }),
  ) as { root: string; targets: Record<string, { outputs?: string[] }> };
  const tasks = JSON.parse(fs.readFileSync(path.join(root, shown.root, '.projen', 'tasks.json'), 'utf8')) as {
    tasks: Record<string, { steps?: { spawn?: string; exec?: string; execArgs?: string[] }[] }>;
  };
  return {
    outputs: shown.targets.compile.outputs ?? [],
    steps: (tasks.tasks.compile.steps ?? []).map((s) => s.spawn ?? s.exec ?? (s.execArgs ?? []).join(' ')),
  };
}

describe('Nx compile targets carry the handler bundles', () => {
  test('functions: compile bundles the handlers into dist/, an output Nx restores', () => {
    const { outputs, steps } = compileTarget('functions');
    expect(steps).toContain('bundle');
    expect(outputs).toEqual(expect.arrayContaining(['{projectRoot}/lib', '{projectRoot}/dist']));
  });

  test('constructs: compile first copies the bundles into assets/handlers, an output Nx restores', () => {
    const { outputs, steps } = compileTarget('constructs');
    expect(steps[0]).toBe('copy-handlers');
    expect(outputs).toEqual(expect.arrayContaining(['{projectRoot}/lib', '{projectRoot}/assets/handlers']));
  });
});
