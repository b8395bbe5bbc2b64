import { NodeProject } from 'projen/lib/javascript';
import { TypeScriptProject } from 'projen/lib/typescript';
import { VERSIONS } from '../versions';
import { addCompileOutputs, addInternalDependency, finishSubproject, forbidEnvironmentLiterals, subprojectOptions } from '../workspace';

/**
 * The published library's version, in this one place: package.json and every internal range follow from it.
 * A release bumps it (semver: a breaking change to a construct's props is a major) and runs `npx projen`.
 */
export const CONSTRUCTS_VERSION = '0.1.0';

/**
 * `packages/constructs`: the publishable CDK construct library. `aws-cdk-lib` and `constructs` are peers
 * (one exact dev version, no pinned duplicate); it may depend on no private workspace package.
 */
export function constructsProject(
  root: NodeProject,
  deps: { functions: TypeScriptProject; store: TypeScriptProject; cache: TypeScriptProject; tools: TypeScriptProject; identifiers: TypeScriptProject },
): TypeScriptProject {
  const project = new TypeScriptProject({
    ...subprojectOptions(root, '@ffc/constructs', 'packages/constructs'),
    description: 'CDK constructs for the Feature Flag Connector regional path',
    package: true,
    peerDeps: [`aws-cdk-lib@^${VERSIONS.awsCdkLib}`, `constructs@^${VERSIONS.constructs}`],
    devDeps: [`aws-cdk-lib@${VERSIONS.awsCdkLib}`, `constructs@${VERSIONS.constructs}`, `cdk-nag@${VERSIONS.cdkNag}`, 'asl-validator@^4.0.0', 'aws-local-stepfunctions@^3.0.0'],
    peerDependencyOptions: { pinnedDevDependency: false },
  });
  // The handlers ship inside the package (assets/handlers), bundled by @ffc/functions: a build-time dependency only.
  addInternalDependency(project, deps.functions, 'dev');
  // The verification workflow test runs the synthesised definition with the real handlers on DynamoDB Local.
  for (const dependency of [deps.store, deps.cache, deps.tools]) addInternalDependency(project, dependency, 'dev');
  project.addDevDeps('@aws-sdk/client-dynamodb@^3.1164.0', '@aws-sdk/lib-dynamodb@^3.1162.0');
  const copyHandlers = project.addTask('copy-handlers', {
    description: 'Copy the bundled Lambda handlers of @ffc/functions into assets/handlers',
    exec: 'rm -rf assets/handlers && mkdir -p assets && cp -r ../functions/dist/handlers assets/handlers',
  });
  // Part of compile, not pre-compile: Nx's `compile` target (the demo's, and every dependent's `^compile`) runs
  // the compile task alone, so a pre-compile step would leave a fresh clone without handlers to synthesise.
  project.compileTask.prependSpawn(copyHandlers);
  // The packaging test packs lib/ and assets/: both must exist before the tests run.
  project.testTask.prependSpawn(project.compileTask);
  project.gitignore.exclude('assets/handlers');
  addInternalDependency(project, deps.identifiers);
  finishSubproject(project, ['build', 'compile', 'test', 'package']);
  addCompileOutputs(project, 'assets/handlers');
  forbidEnvironmentLiterals(project);
  project.package.addField('private', false);
  project.package.addField('publishConfig', { access: 'restricted' });
  project.package.addVersion(CONSTRUCTS_VERSION);
  // The registry is npm's configuration (.npmrc, NPM_CONFIG_REGISTRY), never a host written here; the
  // publish step (tools/src/publish.ts) refuses a version that is not semver or is already published.
  // @ffc/identifiers, the library's one run-time dependency, is packed and published first, at the same version.
  project.addTask('release', {
    description: 'Build and publish this version (and @ffc/identifiers) to the configured registry; refuses a version already there',
    env: { FFC_VERSION_SOURCE: 'CONSTRUCTS_VERSION in projenrc/projects/constructs.ts' },
    steps: [
      { spawn: project.buildTask.name },
      { exec: 'npx projen build', cwd: '../identifiers' },
      {
        exec: `node ../../tools/lib/publish.js ../identifiers/dist/js/ffc-identifiers-${CONSTRUCTS_VERSION}.tgz dist/js/ffc-constructs-${CONSTRUCTS_VERSION}.tgz`,
        receiveArgs: true,
      },
    ],
  });
  return project;
}

/** Fails synthesis if the publishable library depends on a private workspace package (cdklabs' check). */
export function assertNoPrivateWorkspaceDeps(library: TypeScriptProject, workspace: NodeProject): void {
  const privateNames = new Set(
    workspace.subprojects
      .filter((sub): sub is TypeScriptProject => sub instanceof TypeScriptProject && sub !== library)
      .filter((sub) => sub.package.manifest.private === true)
      .map((sub) => sub.package.packageName),
  );
  const offending = library.deps.all.filter((dep) => dep.type !== 'build' && privateNames.has(dep.name));
  if (offending.length > 0) {
    throw new Error(`${library.package.packageName} is published but depends on private ${offending.map((d) => d.name).join(', ')}`);
  }
}
