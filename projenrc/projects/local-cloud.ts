import { NodeProject } from 'projen/lib/javascript';
import { TypeScriptProject } from 'projen/lib/typescript';
import { addBenchTask, addInternalDependency, finishSubproject, subprojectOptions } from '../workspace';

const AWS_SDK = '^3.1164.0';

/**
 * `packages/local-cloud`: runs a synthesised stage (a cloud assembly) whole on this machine — emulators of
 * the AWS services without a local engine, the real engines for the rest, and the real handler bundles.
 */
export function localCloudProject(
  root: NodeProject,
  deps: { tools: TypeScriptProject; cache: TypeScriptProject; audit: TypeScriptProject; store: TypeScriptProject; rules: TypeScriptProject; identifiers: TypeScriptProject },
): TypeScriptProject {
  const project = new TypeScriptProject({
    ...subprojectOptions(root, '@ffc/local-cloud', 'packages/local-cloud'),
    description: 'The local cloud: a synthesised ffc stage running on one machine against real engines',
    deps: [
      'aws-local-stepfunctions@3.0.0',
      // The SDK the Lambda runtime provides to the bundles (they keep @aws-sdk/* external).
      `@aws-sdk/client-dynamodb@${AWS_SDK}`,
      `@aws-sdk/client-dynamodb-streams@^3.1141.0`,
      `@aws-sdk/client-sns@${AWS_SDK}`,
      `@aws-sdk/client-sqs@${AWS_SDK}`,
      `@aws-sdk/client-eventbridge@${AWS_SDK}`,
      `@aws-sdk/client-sfn@${AWS_SDK}`,
      `@aws-sdk/client-secrets-manager@${AWS_SDK}`,
      '@aws-sdk/util-dynamodb@^3.996.9',
      '@aws-sdk/lib-dynamodb@^3.1162.0',
    ],
    devDeps: ['@types/aws-lambda@^8.10.164'],
  });
  addInternalDependency(project, deps.cache);
  addInternalDependency(project, deps.audit);
  addInternalDependency(project, deps.store);
  addInternalDependency(project, deps.tools);
  addInternalDependency(project, deps.identifiers);
  // The benchmark's changes are the rules' example change, so they pass validation like an operator's.
  addInternalDependency(project, deps.rules, 'dev');
  finishSubproject(project);
  addBenchTask(project);
  return project;
}
