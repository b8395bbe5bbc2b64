import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

/** Handler name (as the construct library names it) → entry file. */
const HANDLERS: Record<string, string> = {
  validator: 'src/handlers/validator.ts',
  cacheUpdater: 'src/handlers/cache-updater.ts',
  verificationScheduler: 'src/handlers/verification-scheduler.ts',
  consistencyChecker: 'src/handlers/consistency-checker.ts',
  rollback: 'src/handlers/rollback.ts',
  auditWriter: 'src/handlers/audit-writer.ts',
};

const outRoot = path.join('dist', 'handlers');
fs.rmSync(outRoot, { recursive: true, force: true });
const sizes: Record<string, number> = {};
for (const [name, entry] of Object.entries(HANDLERS)) {
  const outfile = path.join(outRoot, name, 'index.js');
  buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    sourcemap: false,
    // The Lambda Node.js runtime ships the AWS SDK v3: bundling it again would only add cold-start weight.
    external: ['@aws-sdk/*'],
    logLevel: 'warning',
  });
  sizes[name] = fs.statSync(outfile).size;
}
console.log(
  Object.entries(sizes)
    .map(([name, bytes]) => `${name.padEnd(22)} ${(bytes / 1024).toFixed(1).padStart(8)} KB`)
    .join('\n'),
);
