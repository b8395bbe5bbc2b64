import { NodeProject } from 'projen/lib/javascript';
import { TypeScriptProject } from 'projen/lib/typescript';
import { addBenchTask, addInternalDependency, finishSubproject, subprojectOptions } from '../workspace';

/** The TypeScript config jest and ts-node use for tests and scripts. */
const DEV_TSCONFIG = 'test/tsconfig.json';

/** `packages/rules`: the flag-change model and the business rules every change must pass. */
export function rulesProject(
  root: NodeProject,
  deps: { tools: TypeScriptProject; cache: TypeScriptProject; identifiers: TypeScriptProject },
): TypeScriptProject {
  const project = new TypeScriptProject({
    ...subprojectOptions(root, '@ffc/rules', 'packages/rules'),
    description: 'Flag-change model, service catalogue and the business rules that validate every change',
    // The authoring format and the reference the compiled validator is tested against; not needed at runtime.
    devDeps: ['json-rules-engine@^7.3.1'],
  });
  addInternalDependency(project, deps.tools, 'dev');
  // The targeting operators are the evaluator's (`@ffc/cache/lib/evaluation`, a module without Redis).
  addInternalDependency(project, deps.cache);
  // The service catalogue is a JSON data file that apps/infra also builds from.
  project.tsconfig?.addInclude('src/**/*.json');
  project.addTask('rules:doc', {
    description: 'Regenerate RULES.md from the rule registry',
    exec: `ts-node --transpile-only --project ${DEV_TSCONFIG} scripts/write-rules-doc.ts`,
  });
  addInternalDependency(project, deps.identifiers);
  finishSubproject(project);
  addBenchTask(project);
  return project;
}
