import { NodeProject } from 'projen/lib/javascript';
import { TypeScriptProject } from 'projen/lib/typescript';
import { addInternalDependency, finishSubproject, subprojectOptions } from '../workspace';

/** `packages/cache`: the regional Redis key layout, version-monotonic writes and the service-side reader. */
export function cacheProject(root: NodeProject, deps: { tools: TypeScriptProject }): TypeScriptProject {
  const project = new TypeScriptProject({
    ...subprojectOptions(root, '@ffc/cache', 'packages/cache'),
    description: 'Regional Redis flag cache: version-monotonic writes and the reader microservices use',
    deps: ['ioredis@^5.9.2'],
  });
  addInternalDependency(project, deps.tools, 'dev');
  finishSubproject(project);
  return project;
}
