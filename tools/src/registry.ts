import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** A private npm registry (verdaccio) on 127.0.0.1, for tests that publish and install packages. */
export interface LocalRegistry {
  /** The registry URL, ending in a slash, as npm writes it in `.npmrc`. */
  readonly url: string;
  /** Writes an `.npmrc` into `dir` that sends `scope` to this registry with a dummy token; returns its path. */
  writeNpmrc(dir: string, scope: string): string;
  /** Stops the server and deletes its storage. */
  stop(): Promise<void>;
}

/** Thrown when verdaccio does not start or answer; the message carries its output. */
export class LocalRegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalRegistryError';
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Offline on purpose: no uplinks, so nothing reaches a public registry, and publishing works without one. */
function configYaml(dir: string): string {
  return [
    `storage: ${path.join(dir, 'storage')}`,
    'uplinks: {}',
    'publish:',
    '  allow_offline: true',
    'web:',
    '  enable: false',
    'auth:',
    '  htpasswd:',
    `    file: ${path.join(dir, 'htpasswd')}`,
    'packages:',
    "  '**':",
    '    access: $all',
    '    publish: $all',
    'log: { type: stdout, format: pretty, level: warn }',
    '',
  ].join('\n');
}

async function waitUntilAnswering(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new LocalRegistryError(`verdaccio exited with ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(`${url}-/ping`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new LocalRegistryError(`verdaccio did not answer on ${url} within ${timeoutMs} ms:\n${output()}`);
}

/** Starts verdaccio (a devDependency of @ffc/tools) on a free port of 127.0.0.1 with empty storage. */
export async function startLocalRegistry(timeoutMs = 30_000): Promise<LocalRegistry> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ffc-registry-'));
  const configPath = path.join(dir, 'config.yaml');
  fs.writeFileSync(configPath, configYaml(dir));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const bin = require.resolve('verdaccio/bin/verdaccio');
  const child = spawn(process.execPath, [bin, '--config', configPath, '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilAnswering(url, child, () => output, timeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    writeNpmrc(target, scope) {
      const npmrc = path.join(target, '.npmrc');
      // npm refuses to publish without a token; verdaccio's `publish: $all` accepts any.
      fs.writeFileSync(npmrc, `${scope}:registry=${url}\n//127.0.0.1:${port}/:_authToken=local-test-token\n`);
      return npmrc;
    },
    stop,
  };
}
