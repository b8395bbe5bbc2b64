import * as fs from 'node:fs';
import * as path from 'node:path';
import { Plugin, analyzeMetafile, build } from 'esbuild';

/** Handler name (as the construct library names it) → entry file, relative to the functions package. */
export const HANDLERS: Readonly<Record<string, string>> = {
  validator: 'src/handlers/validator.ts',
  cacheUpdater: 'src/handlers/cache-updater.ts',
  verificationScheduler: 'src/handlers/verification-scheduler.ts',
  consistencyChecker: 'src/handlers/consistency-checker.ts',
  rollback: 'src/handlers/rollback.ts',
  auditWriter: 'src/handlers/audit-writer.ts',
  flagWriter: 'src/handlers/flag-writer.ts',
};

/** Issue #12's budget per minified handler bundle, in bytes (1 KB = 1,000 bytes, as the issue counts). */
export const BUNDLE_BUDGET_BYTES = 300_000;

const PACKAGE_ROOT = path.join(__dirname, '..');

export class BundleBudgetError extends Error {
  constructor(readonly oversized: Readonly<Record<string, number>>) {
    super(
      `handler bundles over the ${formatKb(BUNDLE_BUDGET_BYTES)} budget: ` +
        Object.entries(oversized)
          .map(([name, bytes]) => `${name} ${formatKb(bytes)}`)
          .join(', ') +
        ' — run `npx nx run functions:bundle` with BUNDLE_ANALYZE=1 to see what is heavy, and trim it ' +
        '(a lighter import path, a client the handler does not need)',
    );
    this.name = 'BundleBudgetError';
  }
}

export function formatKb(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} KB`;
}

/** Throws a `BundleBudgetError` naming every bundle above `BUNDLE_BUDGET_BYTES`. */
export function assertWithinBudget(sizes: Readonly<Record<string, number>>): void {
  const oversized = Object.fromEntries(Object.entries(sizes).filter(([, bytes]) => bytes > BUNDLE_BUDGET_BYTES));
  if (Object.keys(oversized).length > 0) throw new BundleBudgetError(oversized);
}

/**
 * Bundles the workspace packages (`@ffc/*`) from their TypeScript sources, declared free of side effects.
 * Their `lib/` is CommonJS, which esbuild cannot tree-shake: from `lib/`, importing one function from a barrel
 * bundles the whole package and every client it loads (the full OpenSearch client behind `@ffc/audit`). Their
 * modules only declare things (no top-level statements that act), so an unused one can be dropped whole.
 */
const workspaceSources: Plugin = {
  name: 'ffc-workspace-sources',
  setup(bundler) {
    bundler.onResolve({ filter: /^@ffc\// }, async (args) => {
      if (args.pluginData === 'compiled') return undefined;
      const compiled = await bundler.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: 'compiled',
      });
      if (compiled.errors.length > 0) return { errors: compiled.errors };
      const source = compiled.path.replace(/\/lib\/(.*)\.js$/, '/src/$1.ts');
      if (source === compiled.path || !fs.existsSync(source)) return compiled;
      return { path: source, sideEffects: false };
    });
  },
};

/**
 * The runtime's AWS SDK, kept external and declared free of side effects: a client imported by a shared module
 * (runtime.ts) but used by none of this handler's code is then not loaded at cold start.
 */
const externalAwsSdk: Plugin = {
  name: 'ffc-external-aws-sdk',
  setup(bundler) {
    bundler.onResolve({ filter: /^@aws-sdk\// }, (args) => ({ path: args.path, external: true, sideEffects: false }));
  },
};

export interface BundleResult {
  /** Bundle size in bytes per handler name. */
  readonly sizes: Record<string, number>;
  /** esbuild's `analyzeMetafile` text per handler name (its heaviest inputs), when asked for. */
  readonly analysis: Record<string, string>;
}

/** Bundles every handler into `<outRoot>/<name>/index.js` (minified, CommonJS, for the nodejs24.x runtime). */
export async function bundleHandlers(outRoot: string, options: { analyze?: boolean } = {}): Promise<BundleResult> {
  fs.rmSync(outRoot, { recursive: true, force: true });
  const results = await Promise.all(
    Object.entries(HANDLERS).map(async ([name, entry]) => {
      const outfile = path.join(outRoot, name, 'index.js');
      const result = await build({
        entryPoints: [path.join(PACKAGE_ROOT, entry)],
        absWorkingDir: PACKAGE_ROOT,
        outfile,
        bundle: true,
        minify: true,
        platform: 'node',
        target: 'node24',
        format: 'cjs',
        sourcemap: false,
        // The Lambda Node.js runtime ships the AWS SDK v3 (README, "Bundles and load time").
        plugins: [externalAwsSdk, workspaceSources],
        metafile: options.analyze === true,
        logLevel: 'warning',
      });
      const analysis = result.metafile ? await analyzeMetafile(result.metafile, { verbose: false }) : '';
      return { name, bytes: fs.statSync(outfile).size, analysis };
    }),
  );
  return {
    sizes: Object.fromEntries(results.map((r) => [r.name, r.bytes])),
    analysis: Object.fromEntries(results.filter((r) => r.analysis).map((r) => [r.name, r.analysis])),
  };
}
