import { NodeProject } from 'projen/lib/javascript';
import { TypeScriptProject } from 'projen/lib/typescript';
import { addInternalDependency, finishSubproject, subprojectOptions } from '../workspace';

/** `packages/store`: the DynamoDB flag table — conditional writes, history, verification facts, last known good. */
export function storeProject(root: NodeProject, deps: { tools: TypeScriptProject }): TypeScriptProject {
  const project = new TypeScriptProject({
    ...subprojectOptions(root, '@ffc/store', 'packages/store'),
    description: 'The DynamoDB flag table: version-conditional writes, history, per-region verification, last known good',
    deps: ['@aws-sdk/client-dynamodb@^3.1164.0', '@aws-sdk/lib-dynamodb@^3.1162.0'],
  });
  addInternalDependency(project, deps.tools, 'dev');
  finishSubproject(project);
  return project;
}
