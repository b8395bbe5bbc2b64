import { github } from 'projen';
import { NodeProject } from 'projen/lib/javascript';
import { VERSIONS } from './versions';

/** The runner's Node is the Lambda runtime's, like the one npm ci installs into node_modules/.bin. */
const NODE_VERSION = VERSIONS.node;

/** The steps every job starts with: the full history (Nx diffs against the merge base) and Node. */
function checkoutAndSetUpNode(): github.workflows.JobStep[] {
  return [
    { name: 'Check out', uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } },
    { name: 'Set up Node.js', uses: 'actions/setup-node@v4', with: { 'node-version': NODE_VERSION, cache: 'npm' } },
  ];
}

/**
 * `.github/workflows/ci.yml`: a pull request builds, tests and lints only what it affects (Nx, against the
 * merge base, with the Nx cache restored); the main branch runs `.ci/run`, the whole verdict.
 */
export function addCiWorkflow(root: NodeProject): void {
  const gh = github.GitHub.of(root);
  if (!gh) throw new Error('The CI workflow needs the GitHub component: create the root with github: true');
  const workflow = gh.addWorkflow('ci');
  workflow.on({ pullRequest: { branches: ['main'] }, push: { branches: ['main'] }, workflowDispatch: {} });
  workflow.addJobs({
    affected: {
      name: 'build, test and lint what the pull request affects',
      if: "github.event_name == 'pull_request'",
      runsOn: ['ubuntu-latest'],
      permissions: { contents: github.workflows.JobPermission.READ },
      steps: [
        ...checkoutAndSetUpNode(),
        { name: 'Install', run: 'npm ci' },
        {
          name: 'Restore the Nx cache',
          uses: 'actions/cache@v4',
          with: {
            path: '.nx/cache',
            key: "nx-${{ runner.os }}-${{ hashFiles('package-lock.json') }}-${{ github.sha }}",
            'restore-keys': "nx-${{ runner.os }}-${{ hashFiles('package-lock.json') }}-",
          },
        },
        {
          // Nx compares HEAD with the merge base of --base and HEAD, so only the pull request's own changes count.
          name: 'Build, test and lint the affected projects',
          run: 'npx nx affected -t build test lint --base="origin/${{ github.base_ref }}" --head=HEAD --output-style=stream',
        },
      ],
    },
    main: {
      name: 'the full verdict on main (.ci/run)',
      if: "github.event_name != 'pull_request'",
      runsOn: ['ubuntu-latest'],
      permissions: { contents: github.workflows.JobPermission.READ },
      steps: [...checkoutAndSetUpNode(), { name: 'Run .ci/run', run: 'bash .ci/run' }],
    },
  });
}
