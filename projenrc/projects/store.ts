import { NodeProject } from 'projen/lib/javascript';
import { TypeScriptProject } from 'projen/lib/typescript';
import { addBenchTask, addInternalDependency, finishSubproject, publishEntryPoints, subprojectOptions } from '../workspace';

/** `packages/store`: the DynamoDB flag table — conditional writes, history, verification facts, last known good. */
export function storeProject(root: NodeProject, deps: { tools: TypeScriptProject; identifiers: TypeScriptProject }): TypeScriptProject {
  const project = new TypeScriptProject({
    ...subprojectOptions(root, '@ffc/store', 'packages/store'),
    description: 'The DynamoDB flag table: version-conditional writes, history, per-region verification, last known good',
    deps: [
      '@aws-sdk/client-dynamodb@^3.1164.0',
      '@aws-sdk/lib-dynamodb@^3.1162.0',
      // Turns stream images (AttributeValue JSON) back into documents, the same codec lib-dynamodb uses.
      '@aws-sdk/util-dynamodb@^3.996.9',
    ],
    // Tests read real stream records from DynamoDB Local to prove the contract the validator relies on.
    devDeps: ['@aws-sdk/client-dynamodb-streams@^3.1141.0'],
  });
  addInternalDependency(project, deps.tools, 'dev');
  addInternalDependency(project, deps.identifiers);
  // The document model and key grammar without the DynamoDB client: a bundle that needs only them (the cache
  // updater, the verification scheduler) would otherwise load the client at cold start through `.`.
  publishEntryPoints(project, { 'flag-document': 'flag-document', keys: 'keys' });
  finishSubproject(project);
  addBenchTask(project);
  return project;
}
