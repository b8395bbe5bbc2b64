import { awscdk } from 'projen';
import { NodeProject } from 'projen/lib/javascript';
import { TypeScriptProject } from 'projen/lib/typescript';
import { VERSIONS } from '../versions';
import { addInternalDependency, finishSubproject, forbidEnvironmentLiterals, subprojectOptions } from '../workspace';

/** The twelve regions flags are served in. */
const FLAG_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-2', 'ca-central-1',
  'eu-west-1', 'eu-west-2', 'eu-central-1', 'eu-north-1',
  'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1',
];

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
  addInternalDependency(project, deps.identifiers);
  finishSubproject(project, ['build', 'compile', 'test', 'synth']);
  forbidEnvironmentLiterals(project);
  return project;
}
