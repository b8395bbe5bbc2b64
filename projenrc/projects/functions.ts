import { NodeProject } from 'projen/lib/javascript';
import { TypeScriptProject } from 'projen/lib/typescript';
import { addInternalDependency, finishSubproject, subprojectOptions } from '../workspace';

/** `packages/functions`: the thin Lambda handlers; they parse, call a domain package and report. */
export function functionsProject(
  root: NodeProject,
  deps: { tools: TypeScriptProject; rules: TypeScriptProject; cache: TypeScriptProject; audit: TypeScriptProject; store: TypeScriptProject },
): TypeScriptProject {
  const project = new TypeScriptProject({
    ...subprojectOptions(root, '@ffc/functions', 'packages/functions'),
    description: 'Lambda handlers of the regional path: validator, cache updater, checker, rollback, audit writer',
  });
  addInternalDependency(project, deps.rules);
  addInternalDependency(project, deps.cache);
  addInternalDependency(project, deps.audit);
  addInternalDependency(project, deps.store);
  addInternalDependency(project, deps.tools, 'dev');
  finishSubproject(project);
  return project;
}
