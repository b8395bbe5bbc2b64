import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { AUDIT_EVENT_TYPES, AuditEventType, AuditRecord } from '@ffc/audit';
import { CELL_LABELS, FlagNotFoundError, FlagState, auditHistory, readFlagState } from '../operator/flag-state';
import { StageTarget } from '../operator/target';

/** The page, its script and its style: plain files beside the sources (no framework, nothing to bundle). */
const STATIC_DIRECTORY = path.resolve(__dirname, '..', '..', 'src', 'console', 'static');
const STATIC_FILES: Readonly<Record<string, string>> = {
  '/': 'index.html',
  '/app.js': 'app.js',
  '/style.css': 'style.css',
};
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};
/**
 * Audit event types the timeline shows: every step of a change. An archive is not one; the flag list shows
 * it as the flag's state.
 */
const TIMELINE_TYPES: ReadonlySet<AuditEventType> = new Set(
  AUDIT_EVENT_TYPES.filter((type) => type !== 'flag.archived'),
);

export interface ConsoleOptions {
  readonly target: StageTarget;
  /** @default 0 (any free port) */
  readonly port?: number;
  /** How often a flag page's state is read for its event stream. @default 500 ms */
  readonly pollMs?: number;
}

export interface RunningConsole {
  readonly url: string;
  close(): Promise<void>;
}

/** One flag's page data: where it stands, and the timeline of its last changes, oldest first. */
export interface FlagPage {
  readonly state: FlagState;
  readonly labels: typeof CELL_LABELS;
  readonly timeline: readonly AuditRecord[];
}

async function flagPage(target: StageTarget, flagKey: string): Promise<FlagPage> {
  const state = await readFlagState(target, flagKey);
  const notes: string[] = [];
  const events = await auditHistory(target, flagKey, notes);
  // The last ten versions' events: enough for "what happened lately", small enough to send every update.
  const versions = [...new Set(events.map((e) => e.version))].slice(0, 10);
  const timeline = events.filter((e) => TIMELINE_TYPES.has(e.type) && versions.includes(e.version)).reverse();
  return { state: { ...state, notes: [...new Set([...state.notes, ...notes])] }, labels: CELL_LABELS, timeline };
}

async function flagList(target: StageTarget) {
  const flags = await target.listFlags();
  return Promise.all(
    flags.map(async (flag) => {
      const facts = {
        flagKey: flag.flagKey,
        version: flag.version,
        kind: flag.kind ?? 'change',
        changedBy: flag.changedBy ?? null,
        changedAt: flag.changedAt ?? null,
      };
      // A tombstone has no state to show: no service serves an archived flag.
      if (flag.kind === 'archive') {
        return { ...facts, converged: true, rollbackInProgress: false, serving: 0, expected: 0 };
      }
      const state = await readFlagState(target, flag.flagKey);
      return {
        ...facts,
        converged: state.converged,
        rollbackInProgress: Boolean(state.rollbackInProgress),
        serving: state.regions.reduce((n, r) => n + (r.serving ?? 0), 0),
        expected: state.regions.reduce((n, r) => n + r.expected, 0),
      };
    }),
  );
}

function send(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

/**
 * `ffc console`: the flag list, one flag's region × service grid and its timeline, updated live by server-sent
 * events. Listens on 127.0.0.1 only: it shows a stage's state to whoever can connect, and has no login.
 */
export async function startConsole(options: ConsoleOptions): Promise<RunningConsole> {
  const { target } = options;
  const pollMs = options.pollMs ?? 500;
  const streams = new Set<() => void>();

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const file = STATIC_FILES[url.pathname];
    if (request.method !== 'GET') return send(response, 405, { error: 'only GET' });
    if (file) {
      response.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] });
      return void fs.createReadStream(path.join(STATIC_DIRECTORY, file)).pipe(response);
    }
    const match = /^\/api\/flags(?:\/([^/]+)(\/events)?)?$/.exec(url.pathname);
    if (!match) return send(response, 404, { error: `no page ${url.pathname}` });
    const [, flagKey, events] = match;
    if (!flagKey) {
      flagList(target).then(
        (flags) => send(response, 200, { stage: target.stage, where: target.where, flags }),
        (error: Error) => send(response, 502, { error: error.message }),
      );
      return;
    }
    if (!events) {
      flagPage(target, decodeURIComponent(flagKey)).then(
        (page) => send(response, 200, page),
        (error: Error) => send(response, error instanceof FlagNotFoundError ? 404 : 502, { error: error.message }),
      );
      return;
    }
    streamFlag(decodeURIComponent(flagKey), request, response);
  });

  /** Sends the page data whenever it changes (polled), as `event: state`; errors as `event: failure`. */
  function streamFlag(flagKey: string, request: http.IncomingMessage, response: http.ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    let last = '';
    let open = true;
    let timer: NodeJS.Timeout | undefined;
    const stop = () => {
      open = false;
      clearTimeout(timer);
      streams.delete(stop);
      response.end();
    };
    streams.add(stop);
    request.on('close', stop);
    const tick = async () => {
      try {
        const data = JSON.stringify(await flagPage(target, flagKey));
        if (open && data !== last) response.write(`event: state\ndata: ${data}\n\n`);
        last = data;
      } catch (error) {
        if (open) response.write(`event: failure\ndata: ${JSON.stringify({ error: (error as Error).message })}\n\n`);
      }
      if (open) timer = setTimeout(() => void tick(), pollMs);
    };
    void tick();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    async close() {
      for (const stop of [...streams]) stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
