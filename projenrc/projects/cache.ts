import { NodeProject } from 'projen/lib/javascript';
import { TypeScriptProject } from 'projen/lib/typescript';
import { addBenchTask, addInternalDependency, finishSubproject, publishEntryPoints, subprojectOptions } from '../workspace';

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
  // Without Redis or OpenFeature: the rules and the validator bundle need only the evaluation contract and
  // the fan-out message, and a CommonJS require of `.` would load ioredis and the OpenFeature SDK with them.
  publishEntryPoints(project, { evaluation: 'evaluation/index', 'fan-out-message': 'fan-out-message' });
  finishSubproject(project);
  addBenchTask(project);
  return project;
}
