import { NodeProject } from 'projen/lib/javascript';
import { TypeScriptProject } from 'projen/lib/typescript';
import { addInternalDependency, finishSubproject, subprojectOptions } from '../workspace';

/** `packages/audit`: the audit event model, durable hand-off and the OpenSearch writer and reader. */
export function auditProject(root: NodeProject, deps: { tools: TypeScriptProject }): TypeScriptProject {
  const project = new TypeScriptProject({
    ...subprojectOptions(root, '@ffc/audit', 'packages/audit'),
    description: 'Audit trail of every flag change, written to OpenSearch without loss',
    deps: ['@opensearch-project/opensearch@^3.9.0'],
  });
  addInternalDependency(project, deps.tools, 'dev');
  finishSubproject(project);
  return project;
}
