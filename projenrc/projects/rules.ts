import { NodeProject } from 'projen/lib/javascript';
import { TypeScriptProject } from 'projen/lib/typescript';
import { addInternalDependency, finishSubproject, subprojectOptions } from '../workspace';

/** `packages/rules`: the flag-change model and the business rules every change must pass. */
export function rulesProject(root: NodeProject, deps: { tools: TypeScriptProject }): TypeScriptProject {
  const project = new TypeScriptProject({
    ...subprojectOptions(root, '@ffc/rules', 'packages/rules'),
    description: 'Flag-change model, service catalogue and the business rules that validate every change',
  });
  addInternalDependency(project, deps.tools, 'dev');
  finishSubproject(project);
  return project;
}
