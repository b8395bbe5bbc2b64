import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { ClientOptions } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws';
import { AuditConfigurationError } from './errors';

// No runtime import of the full OpenSearch client here: a bundle that needs only a connection must not carry it.

/** How to reach OpenSearch: plain HTTP(S) for the local engine, SigV4 for Amazon OpenSearch Service. */
export type AuditConnection =
  | {
      readonly kind: 'http';
      readonly node: string;
      /** @default - no authentication */
      readonly basicAuth?: { readonly username: string; readonly password: string };
    }
  | {
      readonly kind: 'aws-sigv4';
      readonly node: string;
      readonly region: string;
      /** `es` for a managed domain, `aoss` for OpenSearch Serverless. @default 'es' */
      readonly service?: 'es' | 'aoss';
      /** @default - the AWS SDK's default credential chain (environment, profile, Lambda role) */
      readonly getCredentials?: () => Promise<{
        accessKeyId: string;
        secretAccessKey: string;
        sessionToken?: string;
      }>;
    };

export interface AuditClientOptions {
  /** @default 30000 */
  readonly requestTimeoutMs?: number;
}

/** What `createAuditClient` and `createAuditBulkClient` both take from a connection: node, authentication, timeout. */
export function auditClientOptions(
  connection: AuditConnection,
  options: AuditClientOptions = {},
): ClientOptions & { readonly node: string; readonly requestTimeout: number } {
  if (!/^https?:\/\/[^/]+/.test(connection.node)) {
    throw new AuditConfigurationError(`OpenSearch node '${connection.node}' must be an http(s):// URL`);
  }
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  if (connection.kind === 'http') {
    return { node: connection.node, auth: connection.basicAuth, requestTimeout };
  }
  if (!connection.region) throw new AuditConfigurationError('SigV4 signing needs the region of the domain');
  const signer = AwsSigv4Signer({
    region: connection.region,
    service: connection.service ?? 'es',
    getCredentials: connection.getCredentials ?? defaultProvider(),
  });
  return { Connection: signer.Connection, Transport: signer.Transport, node: connection.node, requestTimeout };
}

/**
 * The connection a process is configured for: FFC_OPENSEARCH_URL names the node, and FFC_OPENSEARCH_SIGV4_REGION
 * (set in AWS) switches to SigV4 signing for that region.
 */
export function auditConnectionFromEnv(env: NodeJS.ProcessEnv, fallbackNode: string): AuditConnection {
  const node = env.FFC_OPENSEARCH_URL ?? fallbackNode;
  const region = env.FFC_OPENSEARCH_SIGV4_REGION;
  return region ? { kind: 'aws-sigv4', node, region } : { kind: 'http', node };
}
