import * as path from 'node:path';
import { BUNDLE_BUDGET_BYTES, assertWithinBudget, bundleHandlers, formatKb } from './handlers';

/** `npx nx run functions:bundle`: bundles every handler, prints its size, fails when one is over budget. */
async function main(): Promise<void> {
  const analyze = process.env.BUNDLE_ANALYZE === '1';
  const { sizes, analysis } = await bundleHandlers(path.join('dist', 'handlers'), { analyze });
  for (const text of Object.values(analysis)) console.log(text);
  console.log(`handler bundles (budget ${formatKb(BUNDLE_BUDGET_BYTES)} each):`);
  for (const [name, bytes] of Object.entries(sizes)) {
    console.log(`  ${name.padEnd(22)} ${formatKb(bytes).padStart(9)}`);
  }
  assertWithinBudget(sizes);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});
