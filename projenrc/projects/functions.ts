import { NodeProject } from 'projen/lib/javascript';
import { TypeScriptProject } from 'projen/lib/typescript';
import {
  addBenchTask,
  addInternalDependency,
  addTypeScriptFolder,
  addCompileOutputs,
  finishSubproject,
  publishEntryPoints,
  subprojectOptions,
} from '../workspace';

const AWS_SDK = '^3.1164.0';

/** `packages/functions`: the thin Lambda handlers; they parse, call a domain package and report. */
export function functionsProject(
  root: NodeProject,
  deps: {
    tools: TypeScriptProject;
    rules: TypeScriptProject;
    cache: TypeScriptProject;
    audit: TypeScriptProject;
    store: TypeScriptProject;
    identifiers: TypeScriptProject;
  },
): TypeScriptProject {
  const project = new TypeScriptProject({
    ...subprojectOptions(root, '@ffc/functions', 'packages/functions'),
    description: 'Lambda handlers of the regional path: validator, cache updater, checker, rollback, audit writer',
    deps: [
      '@aws-lambda-powertools/logger@^2.36.0',
      '@aws-lambda-powertools/batch@^2.35.0',
      '@aws-lambda-powertools/metrics@^2.36.0',
      `@aws-sdk/client-sns@${AWS_SDK}`,
      `@aws-sdk/client-eventbridge@${AWS_SDK}`,
      `@aws-sdk/client-sqs@${AWS_SDK}`,
      `@aws-sdk/client-sfn@${AWS_SDK}`,
      `@aws-sdk/client-secrets-manager@${AWS_SDK}`,
      `@aws-sdk/client-dynamodb@${AWS_SDK}`,
      `@aws-sdk/lib-dynamodb@^3.1162.0`,
    ],
    devDeps: [
      '@types/aws-lambda@^8.10.164',
      'esbuild@^0.28.2',
      '@aws-sdk/client-dynamodb-streams@^3.1141.0',
      '@opensearch-project/opensearch@^3.9.0',
    ],
  });
  addInternalDependency(project, deps.rules);
  addInternalDependency(project, deps.cache);
  addInternalDependency(project, deps.audit);
  addInternalDependency(project, deps.store);
  addInternalDependency(project, deps.tools, 'dev');
  // Each handler becomes one minified file under dist/handlers/<name>/index.js, which the construct library ships.
  const bundle = project.addTask('bundle', {
    description: 'Bundle every Lambda handler with esbuild into dist/handlers',
    exec: `ts-node --transpile-only --project ${addTypeScriptFolder(project, 'build-tools')} build-tools/bundle.ts`,
  });
  // Part of compile, so a dependent's `^compile` (the construct library's tests) finds the bundles.
  project.compileTask.spawn(bundle);
  addInternalDependency(project, deps.identifiers);
  finishSubproject(project, ['build', 'compile', 'test', 'bundle']);
  // The handler bundles: the construct library copies them from dist/ when it compiles.
  addCompileOutputs(project, 'dist');
  // `writing`: the operator's side of the flag writer (send a write request, wait for it to land), without
  // the handlers the package's main entry point loads.
  publishEntryPoints(project, { writing: 'writing/index' });
  addBenchTask(project);
  return project;
}
