import { NodeProject } from 'projen/lib/javascript';
import { TypeScriptProject } from 'projen/lib/typescript';
import { CONSTRUCTS_VERSION } from './constructs';
import { finishSubproject, subprojectOptions } from '../workspace';

/**
 * `packages/identifiers`: the identifier grammars every layer shares (stage, flag key, service, team, region),
 * defined once at the bottom of the graph. Published with the construct library, at its version, because the
 * constructs name resources with it.
 */
export function identifiersProject(root: NodeProject): TypeScriptProject {
  const project = new TypeScriptProject({
    ...subprojectOptions(root, '@ffc/identifiers', 'packages/identifiers'),
    description: 'Feature Flag Connector identifier grammars: stage, flag key, service, team and region',
    // Packed (dist/js) for the construct library's release, which publishes it first.
    package: true,
  });
  finishSubproject(project);
  project.package.addField('private', false);
  project.package.addField('publishConfig', { access: 'restricted' });
  project.package.addVersion(CONSTRUCTS_VERSION);
  return project;
}
