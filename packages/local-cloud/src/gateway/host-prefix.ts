import dns from 'node:dns';

/**
 * Host prefixes the SDK puts in front of the endpoint host for operations the gateway emulates (Smithy
 * `@endpoint(hostPrefix)`): Step Functions' StartSyncExecution goes to `sync-<host>`, even with a custom
 * endpoint, and a default-config client cannot be told `disableHostPrefix`.
 */
const HOST_PREFIXES = ['sync-'] as const;

type Lookup = typeof dns.lookup;

/** Prefixed name → the gateway host it stands for, shared by every gateway of this process. */
const aliases = new Map<string, string>();
let originalLookup: Lookup | undefined;

/**
 * Makes `dns.lookup` in this process (or worker thread) resolve `sync-<gatewayHost>` as `gatewayHost`, so
 * `sync-127.0.0.1` reaches the gateway. Node's http client resolves through `dns.lookup` at connect time
 * (the SDK's handler passes no `lookup` of its own), so one call before the handlers run is enough and no
 * handler changes. Other names resolve as before. Returns a function that removes the alias again.
 */
export function resolveHostPrefixes(gatewayHost: string): () => void {
  const names = HOST_PREFIXES.map((prefix) => `${prefix}${gatewayHost}`);
  for (const name of names) aliases.set(name, gatewayHost);
  if (!originalLookup) {
    const original = dns.lookup;
    originalLookup = original;
    const aliased = function (this: unknown, hostname: string, ...rest: unknown[]) {
      return (original as (...args: unknown[]) => void).call(this, aliases.get(hostname) ?? hostname, ...rest);
    };
    // The promisified form (util.promisify(dns.lookup)) must keep working for other callers.
    Object.defineProperty(aliased, Symbol.for('nodejs.util.promisify.custom'), {
      value: (hostname: string, options?: dns.LookupOptions) =>
        dns.promises.lookup(aliases.get(hostname) ?? hostname, options ?? {}),
    });
    (dns as { lookup: Lookup }).lookup = aliased as Lookup;
  }
  return () => {
    for (const name of names) aliases.delete(name);
  };
}
