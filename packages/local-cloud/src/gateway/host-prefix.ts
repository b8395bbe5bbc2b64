import dns from 'node:dns';
import vm from 'node:vm';

/**
 * Host prefixes the SDK puts in front of the endpoint host for operations the gateway emulates (Smithy
 * `@endpoint(hostPrefix)`): Step Functions' StartSyncExecution goes to `sync-<host>`, even with a custom
 * endpoint, and a default-config client cannot be told `disableHostPrefix`.
 */
export const HOST_PREFIXES = ['sync-'] as const;

/**
 * The alias, as JavaScript source of a function `(dns, aliases)`: it wraps `dns.lookup` once so a name in the
 * `aliases` Map resolves as the host it stands for, and other names as before. Node's http client resolves
 * through `dns.lookup` at connect time (the SDK's handler passes no `lookup` of its own), so no handler
 * changes. Source rather than a function because the Lambda worker threads run evaluated code that imports
 * nothing of this package: worker-source.ts embeds it, resolveHostPrefixes runs it here.
 */
export const HOST_ALIAS_SOURCE = String.raw`(function aliasHosts(dns, aliases) {
  const original = dns.lookup;
  const aliased = function (hostname, ...rest) {
    return original.call(this, aliases.get(hostname) ?? hostname, ...rest);
  };
  // The promisified form (util.promisify(dns.lookup)) must keep working for other callers.
  Object.defineProperty(aliased, Symbol.for('nodejs.util.promisify.custom'), {
    value: (hostname, options) => dns.promises.lookup(aliases.get(hostname) ?? hostname, options ?? {}),
  });
  dns.lookup = aliased;
})`;

/** Prefixed name → the gateway host it stands for, shared by every gateway of this process. */
const aliases = new Map<string, string>();
let aliased = false;

/**
 * Makes `dns.lookup` in this process resolve `sync-<gatewayHost>` as `gatewayHost`, so `sync-127.0.0.1`
 * reaches the gateway; one call before the handlers run is enough. Returns a function that removes the alias.
 */
export function resolveHostPrefixes(gatewayHost: string): () => void {
  const names = HOST_PREFIXES.map((prefix) => `${prefix}${gatewayHost}`);
  for (const name of names) aliases.set(name, gatewayHost);
  if (!aliased) {
    const aliasHosts = vm.runInThisContext(HOST_ALIAS_SOURCE) as (target: typeof dns, map: typeof aliases) => void;
    aliasHosts(dns, aliases);
    aliased = true;
  }
  return () => {
    for (const name of names) aliases.delete(name);
  };
}
