import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { InvalidLocalCredentialsError } from './errors';

/** Where the per-region DynamoDB Local runs, and the fixed credentials that, with a region, select one replica. */
export interface LocalDynamoOptions {
  /** DynamoDB Local started without -sharedDb, e.g. `http://127.0.0.1:8012`. */
  readonly endpoint: string;
  /** Fake but fixed: DynamoDB Local keeps one database per access key id and region. */
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
}

const ACCESS_KEY_ID = /^[A-Za-z0-9]+$/;

function clientConfig(options: LocalDynamoOptions, region: string) {
  if (!ACCESS_KEY_ID.test(options.credentials.accessKeyId)) {
    throw new InvalidLocalCredentialsError(options.credentials.accessKeyId);
  }
  const { accessKeyId, secretAccessKey } = options.credentials;
  return { endpoint: options.endpoint, region, credentials: { accessKeyId, secretAccessKey } };
}

/** A client of the replica in `region`: on DynamoDB Local without -sharedDb, the region selects the database. */
export function dynamoClient(options: LocalDynamoOptions, region: string): DynamoDBClient {
  return new DynamoDBClient(clientConfig(options, region));
}

/** A DynamoDB Streams client of the replica in `region` (a stream ARN resolves only in its own region's database). */
export function dynamoStreamsClient(options: LocalDynamoOptions, region: string): DynamoDBStreamsClient {
  return new DynamoDBStreamsClient(clientConfig(options, region));
}
