import { createHash, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { GatewayBackend, GatewayRequestContext } from './backend';
import { LOCAL_CLOUD_PRINCIPALS } from './environment';
import { wireError, WireError } from './errors';
import { awsJsonProtocol, awsQueryProtocol, MalformedRequestError, Protocol, WireResponse } from './protocols';
import { eventsService } from './services/events';
import { logsService } from './services/logs';
import { secretsManagerService } from './services/secrets-manager';
import { OperationHandler, ServiceDefinition } from './services/service';
import { sfnService } from './services/sfn';
import { snsService } from './services/sns';
import { sqsService } from './services/sqs';

export interface Gateway {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface GatewayOptions {
  /**
   * `127.0.0.1` or `localhost`: the gateway checks no signatures, so it must not be reachable from elsewhere.
   * @default '127.0.0.1'
   */
  readonly host?: string;
  /** @default 0 - an ephemeral port */
  readonly port?: number;
  /**
   * Access key id → the principal id AWS would resolve it to (what SQS reports as SenderId), so a test can sign
   * as a given role session. A key not listed is an IAM user of its own (see {@link principalIdOf}).
   * @default LOCAL_CLOUD_PRINCIPALS
   */
  readonly principals?: Readonly<Record<string, string>>;
}

const SERVICES: readonly ServiceDefinition[] = [
  snsService,
  sqsService,
  eventsService,
  sfnService,
  secretsManagerService,
  logsService,
];
/** IPv4 loopback only: an IPv6 literal cannot take the `sync-` host prefix (see host-prefix.ts). */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

/** Idle SDK connections stay open this long; Node's 5 s default races the SDK's keep-alive reuse (ECONNRESET). */
const KEEP_ALIVE_MS = 10 * 60_000;

/**
 * `Credential=AKID/20260101/<region>/<service>/aws4_request`. Signatures are not verified: the gateway
 * serves loopback only, and any fake credentials the handlers' SDK finds must work.
 */
const CREDENTIAL_SCOPE = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

/**
 * The principal id of an access key: the listed one, else an IAM user id derived from the key alone (`AIDA` and
 * 16 hex digits), so in the local cloud as in AWS the identity follows from the signing credential, never
 * from anything in the request body.
 */
export function principalIdOf(accessKeyId: string, principals: Readonly<Record<string, string>>): string {
  return (
    principals[accessKeyId] ??
    `AIDA${createHash('sha256').update(accessKeyId).digest('hex').slice(0, 16).toUpperCase()}`
  );
}

/** Starts the HTTP gateway that speaks the AWS wire protocols of the services `backend` emulates. */
export async function startGateway(backend: GatewayBackend, options: GatewayOptions = {}): Promise<Gateway> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) {
    throw new Error(
      `gateway host '${host}' is not a loopback address: use 127.0.0.1 (the gateway checks no signatures, so it serves this machine only)`,
    );
  }
  const routes = bindRoutes(backend);
  const principals = options.principals ?? LOCAL_CLOUD_PRINCIPALS;
  const server = createServer((request, response) => {
    readBody(request)
      .then((body) => dispatch(routes, principals, request, body))
      .then((answer) => send(response, answer))
      .catch((error: Error) => response.destroy(error));
  });
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    host,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

interface Route {
  readonly service: ServiceDefinition;
  readonly handlers: ReadonlyMap<string, OperationHandler>;
}

function bindRoutes(backend: GatewayBackend): ReadonlyMap<string, Route> {
  return new Map(
    SERVICES.map((service) => {
      const handlers = new Map<string, OperationHandler>();
      for (const [operation, bind] of Object.entries(service.operations)) {
        const handler = bind(backend);
        if (handler) handlers.set(operation, handler);
      }
      return [service.signingName, { service, handlers }];
    }),
  );
}

async function dispatch(
  routes: ReadonlyMap<string, Route>,
  principals: Readonly<Record<string, string>>,
  request: IncomingMessage,
  body: string,
): Promise<WireResponse> {
  const requestId = randomUUID();
  const scope = CREDENTIAL_SCOPE.exec(String(request.headers.authorization ?? ''));
  const route = scope ? routes.get(scope[3]) : undefined;
  const protocol = route?.service.protocol ?? guessProtocol(request);
  let parsed: { operation?: string; input: unknown };
  try {
    parsed = protocol.parse(request.headers, body);
  } catch (error) {
    if (!(error instanceof MalformedRequestError)) throw error;
    return protocol.failure({ name: error.code, wireCode: error.code, status: 400, message: error.message }, requestId);
  }
  if (!scope) {
    return protocol.failure(
      clientError(
        'MissingAuthenticationToken',
        'the local cloud reads region and service from the SigV4 Authorization header: sign the request (any credentials work)',
      ),
      requestId,
    );
  }
  const [, accessKeyId, region, service] = scope;
  const operation = parsed.operation ?? '(no operation)';
  const handler = route?.handlers.get(operation);
  if (!route || !handler) {
    return protocol.failure(
      clientError(protocol.unknownOperationCode, `not emulated by the local cloud: ${service}:${operation}`),
      requestId,
    );
  }
  const ctx: GatewayRequestContext = {
    region,
    service,
    operation,
    principalId: principalIdOf(accessKeyId, principals),
  };
  try {
    return protocol.success(operation, await handler(ctx, parsed.input), requestId);
  } catch (error) {
    return protocol.failure(wireError(error, route.service.errors, `${service}:${operation}`), requestId);
  }
}

function clientError(code: string, message: string): WireError {
  return { name: code, wireCode: code, status: 400, message };
}

/** For requests the gateway cannot route: answer in the protocol the request itself used. */
function guessProtocol(request: IncomingMessage): Protocol {
  const contentType = String(request.headers['content-type'] ?? '');
  const target = String(request.headers['x-amz-target'] ?? '');
  if (!contentType.includes('json')) return awsQueryProtocol({ xmlns: 'https://local-cloud.ffc/' });
  return awsJsonProtocol({ version: contentType.includes('1.0') ? '1.0' : '1.1', targetPrefix: target.split('.')[0] });
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, { status, headers, body }: WireResponse): void {
  response.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}
