import { NodeProject } from 'projen/lib/javascript';
import { TypeScriptProject } from 'projen/lib/typescript';
import { addBenchTask, addInternalDependency, finishSubproject, publishEntryPoints, subprojectOptions } from '../workspace';

/** `packages/audit`: the audit event model, durable hand-off and the OpenSearch writer and reader. */
export function auditProject(root: NodeProject, deps: { tools: TypeScriptProject; identifiers: TypeScriptProject }): TypeScriptProject {
  const project = new TypeScriptProject({
    ...subprojectOptions(root, '@ffc/audit', 'packages/audit'),
    description: 'Audit trail of every flag change, written to OpenSearch without loss',
    // The client's AwsSigv4Signer loads credentials through the default provider chain of AWS SDK v3.
    deps: ['@opensearch-project/opensearch@^3.9.0', '@aws-sdk/credential-provider-node@^3.972.94'],
  });
  addInternalDependency(project, deps.tools, 'dev');
  addInternalDependency(project, deps.identifiers);
  finishSubproject(project);
  // `events`: the event model without the OpenSearch client, for functions that only record events.
  publishEntryPoints(project, { events: 'events' });
  addBenchTask(project);
  return project;
}
