import { NodeProject } from 'projen/lib/javascript';
import { TypeScriptProject } from 'projen/lib/typescript';
import { TextFile } from 'projen';
import { addInternalDependency, finishSubproject, subprojectOptions } from '../workspace';

/** `apps/cli`: the `ffc` command operators and CI use. */
export function cliProject(
  root: NodeProject,
  deps: {
    tools: TypeScriptProject;
    rules: TypeScriptProject;
    cache: TypeScriptProject;
    audit: TypeScriptProject;
    store: TypeScriptProject;
    functions: TypeScriptProject;
    localCloud: TypeScriptProject;
    infra: TypeScriptProject;
    constructs: TypeScriptProject;
    identifiers: TypeScriptProject;
  },
): TypeScriptProject {
  const project = new TypeScriptProject({
    ...subprojectOptions(root, '@ffc/cli', 'apps/cli'),
    description: 'ffc: set, validate, inspect and audit feature flags',
    bin: { ffc: 'bin/ffc' },
    deps: ['commander@^14.0.1', '@aws-sdk/client-dynamodb@^3.1164.0', '@aws-sdk/lib-dynamodb@^3.1162.0'],
    // The console's test drives Debian's chromium headless (no bundled browser download).
    devDeps: ['puppeteer-core@^24.8.2'],
  });
  // A committed launcher: npm links workspace bins only if the target exists at install time.
  new TextFile(project, 'bin/ffc', {
    lines: ['#!/usr/bin/env node', "require('../lib/main.js').main(process.argv);"],
    executable: true,
    committed: true,
  });
  addInternalDependency(project, deps.rules);
  addInternalDependency(project, deps.cache);
  addInternalDependency(project, deps.audit);
  addInternalDependency(project, deps.store);
  // `ffc set` validates with the same store-backed context as every region's stream validator.
  addInternalDependency(project, deps.functions);
  // Tests start engines through @ffc/tools; the CLI itself runs `tools/engines` (no DynamoDB Local at run time).
  addInternalDependency(project, deps.tools, 'dev');
  addInternalDependency(project, deps.localCloud);
  // `ffc demo` and `ffc local up` synthesise the CDK app: it is compiled before the CLI's tests run.
  addInternalDependency(project, deps.infra, 'dev');
  // The identifier-grammar test checks the constructs' naming against the same verdicts as every other layer.
  addInternalDependency(project, deps.constructs, 'dev');
  addInternalDependency(project, deps.identifiers);
  finishSubproject(project);
  return project;
}
