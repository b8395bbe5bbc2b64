import { awscdk } from 'projen';
import { NodeProject } from 'projen/lib/javascript';
import { TypeScriptProject } from 'projen/lib/typescript';
// The one list of the twelve regions (cdk.json's context is generated from it).
import { FLAG_REGIONS } from '../../packages/identifiers/src/regions';
import { VERSIONS } from '../versions';
import { addInternalDependency, finishSubproject, forbidEnvironmentLiterals, subprojectOptions } from '../workspace';

/** `apps/infra`: the CDK app — stages, regions and services from the catalogue. */
export function infraProject(
  root: NodeProject,
  deps: { constructs: TypeScriptProject; rules: TypeScriptProject; tools: TypeScriptProject; identifiers: TypeScriptProject },
): awscdk.AwsCdkTypeScriptApp {
  const project = new awscdk.AwsCdkTypeScriptApp({
    ...subprojectOptions(root, '@ffc/infra', 'apps/infra'),
    description: 'The Feature Flag Connector CDK app',
    cdkVersion: VERSIONS.awsCdkLib,
    cdkCliVersion: VERSIONS.awsCdkCli,
    constructsVersion: VERSIONS.constructs,
    cdkVersionPinning: true,
    requireApproval: awscdk.ApprovalLevel.BROADENING,
    // Synthesise from the compiled app: no ts-node at deploy time.
    app: 'node lib/main.js',
    deps: [`cdk-nag@${VERSIONS.cdkNag}`],
    // The feature flags `cdk init` writes for this aws-cdk-lib (its recommended-feature-flags.json), every one
    // adopted: synthesis with them changes no logical ID, only policies (partition literals, merged statements)
    // and a CDK-managed log group for the custom-resource provider, which the flag-table replica encrypts.
    featureFlags: awscdk.CdkFeatureFlagsV2.fromLocalAwsCdkLib(),
    // Stage-independent defaults; the stage itself is always passed: `-c stage=NAME [-c production=true]`.
    context: {
      costCentre: 'ffc-platform',
      owner: 'platform-engineering',
      regions: FLAG_REGIONS,
    },
  });
  // The CDK app template's own compiler options give way to tsconfig.base.json: its typeRoots (empty under
  // hoisting), its NodeNext module kind (ts-jest warned on every test file) and its looser checks.
  const templateOptions = [
    'typeRoots', 'module', 'moduleResolution',
    'noFallthroughCasesInSwitch', 'noUnusedLocals', 'noUnusedParameters', 'strictPropertyInitialization',
  ];
  for (const option of templateOptions) project.tsconfig?.file.addDeletionOverride(`compilerOptions.${option}`);
  project.tsconfigDev.file.addDeletionOverride('compilerOptions.typeRoots');
  project.addDevDeps('esbuild@^0.28.2', '@cdklabs/cdk-validator-cfnguard@0.0.62');
  // One exact constructs everywhere: two copies break type identity ("separate declarations of a private property").
  project.addDeps(`constructs@${VERSIONS.constructs}`);
  addInternalDependency(project, deps.constructs);
  addInternalDependency(project, deps.rules);
  addInternalDependency(project, deps.tools, 'dev');
  // The CDK app type leaves compile empty (it expects ts-node); compile like every other project.
  project.compileTask.exec('tsc --build');
  // The build proves the app synthesises; it needs a stage name, which is config, not code.
  project.tasks.tryFind('synth:silent')?.reset('cdk synth -q -c stage=build');
  // cfn-lint over every template of a fresh synthesis (~4 CPU-minutes): not in `build`, which stays as fast as it
  // was, but in the full test run and CI (tools/test-all). No package.json script: a task alone needs no install.
  project.addTask('lint:cfn', {
    description: 'Synthesise the stage and lint every template with cfn-lint, each against its region (tools/cfn-lint)',
    steps: [{ spawn: 'synth:silent' }, { exec: '../../tools/cfn-lint/run cdk.out' }],
  });
  project.package.removeScript('lint:cfn');
  addInternalDependency(project, deps.identifiers);
  finishSubproject(project, ['build', 'compile', 'test', 'synth']);
  forbidEnvironmentLiterals(project);
  return project;
}
