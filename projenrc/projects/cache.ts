import { NodeProject } from 'projen/lib/javascript';
import { TypeScriptProject } from 'projen/lib/typescript';
import { addBenchTask, addInternalDependency, finishSubproject, subprojectOptions } from '../workspace';

/** `packages/cache`: the regional Redis key layout, version-monotonic writes and the service-side reader. */
export function cacheProject(root: NodeProject, deps: { tools: TypeScriptProject; identifiers: TypeScriptProject }): TypeScriptProject {
  const project = new TypeScriptProject({
    ...subprojectOptions(root, '@ffc/cache', 'packages/cache'),
    description: 'Regional Redis flag cache: version-monotonic writes and the reader microservices use',
    // @openfeature/core is the server SDK's peer dependency: declared so npm installs the one version we test.
    deps: ['ioredis@^5.9.2', '@openfeature/server-sdk@^1.23.0', '@openfeature/core@^1.12.0'],
    // The OpenFeature specification's gherkin suite runs against the provider (test/conformance).
    devDeps: ['jest-cucumber@^4.5.0'],
  });
  addInternalDependency(project, deps.tools, 'dev');
  addInternalDependency(project, deps.identifiers);
  finishSubproject(project);
  addBenchTask(project);
  return project;
}
