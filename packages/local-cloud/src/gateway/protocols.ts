import { IncomingHttpHeaders } from 'node:http';
import { WireError } from './errors';

export interface WireResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** A request body the protocol cannot read: AWS answers these with its own error codes. */
export class MalformedRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/** One AWS wire protocol: how a request names its operation and input, and how answers are written. */
export interface Protocol {
  /** The error code AWS uses for an operation it does not know. */
  readonly unknownOperationCode: string;
  parse(headers: IncomingHttpHeaders, body: string): { operation?: string; input: unknown };
  success(operation: string, output: unknown, requestId: string): WireResponse;
  failure(error: WireError, requestId: string): WireResponse;
}

/** Timestamps are epoch seconds and blobs base64 in every AWS JSON protocol. */
function awsJsonReplacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  if (raw instanceof Date) return raw.getTime() / 1000;
  if (raw instanceof Uint8Array) return Buffer.from(raw).toString('base64');
  return value;
}

export interface JsonProtocolOptions {
  readonly version: '1.0' | '1.1';
  /** The `X-Amz-Target` prefix, e.g. `AmazonSQS`. */
  readonly targetPrefix: string;
  /**
   * SQS moved from awsQuery to JSON keeping its query error codes: they travel in `x-amzn-query-error`
   * (`<code>;Sender`), and the SDK prefers them to `__type`.
   */
  readonly queryCompatible?: boolean;
}

export function awsJsonProtocol({ version, targetPrefix, queryCompatible = false }: JsonProtocolOptions): Protocol {
  const contentType = `application/x-amz-json-${version}`;
  return {
    unknownOperationCode: 'UnknownOperationException',
    parse(headers, body) {
      const target = String(headers['x-amz-target'] ?? '');
      const operation = target.startsWith(`${targetPrefix}.`) ? target.slice(targetPrefix.length + 1) : undefined;
      try {
        return { operation, input: body.trim() === '' ? {} : JSON.parse(body) };
      } catch (error) {
        throw new MalformedRequestError(
          'SerializationException',
          `request body is not JSON: ${(error as Error).message}`,
        );
      }
    },
    success(_operation, output, requestId) {
      return {
        status: 200,
        headers: { 'content-type': contentType, 'x-amzn-requestid': requestId },
        body: JSON.stringify(output ?? {}, awsJsonReplacer),
      };
    },
    failure(error, requestId) {
      const headers: Record<string, string> = { 'content-type': contentType, 'x-amzn-requestid': requestId };
      if (queryCompatible) headers['x-amzn-query-error'] = `${error.wireCode};${faultOf(error)}`;
      return { status: error.status, headers, body: JSON.stringify({ __type: error.name, message: error.message }) };
    },
  };
}

/** awsQuery: form-encoded requests, XML answers; `output` is the flat list of result members. */
export function awsQueryProtocol({ xmlns }: { xmlns: string }): Protocol {
  const headers = (requestId: string) => ({ 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
  return {
    unknownOperationCode: 'InvalidAction',
    parse(_headers, body) {
      const input = new URLSearchParams(body);
      return { operation: input.get('Action') ?? undefined, input };
    },
    success(operation, output, requestId) {
      const members = Object.entries((output ?? {}) as Record<string, string | undefined>)
        .filter(([, value]) => value !== undefined)
        .map(([name, value]) => `<${name}>${escapeXml(String(value))}</${name}>`)
        .join('');
      return {
        status: 200,
        headers: headers(requestId),
        body:
          `<${operation}Response xmlns="${xmlns}"><${operation}Result>${members}</${operation}Result>` +
          `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`,
      };
    },
    failure(error, requestId) {
      return {
        status: error.status,
        headers: headers(requestId),
        body:
          `<ErrorResponse xmlns="${xmlns}"><Error><Type>${faultOf(error)}</Type><Code>${escapeXml(error.wireCode)}</Code>` +
          `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    },
  };
}

function faultOf(error: WireError): 'Sender' | 'Receiver' {
  return error.status < 500 ? 'Sender' : 'Receiver';
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}
