import { LocalCloudError } from '../errors';

/** Credentials DynamoDB Local would refuse, caught before the first request fails with an opaque error. */
export class InvalidLocalCredentialsError extends LocalCloudError {
  constructor(readonly accessKeyId: string) {
    super(
      `access key id '${accessKeyId}' is refused by DynamoDB Local (2.0 and later accept only letters and digits): ` +
        "use a fixed alphanumeric id such as 'local'",
    );
    this.name = 'InvalidLocalCredentialsError';
  }
}

/** A replica table exists with a definition other than the one the template declares. */
export class ReplicaTableMismatchError extends LocalCloudError {
  constructor(
    readonly tableName: string,
    readonly region: string,
    detail: string,
  ) {
    super(
      `table '${tableName}' already exists in ${region} with ${detail}: delete it there ` +
        '(deleteReplicaTables) or give the stage another table name',
    );
    this.name = 'ReplicaTableMismatchError';
  }
}

/** A replica that replication cannot follow: no such table, or no stream carrying the new image. */
export class ReplicaNotReplicableError extends LocalCloudError {
  constructor(
    readonly tableName: string,
    readonly region: string,
    detail: string,
  ) {
    super(`cannot replicate table '${tableName}' in ${region}: ${detail}`);
    this.name = 'ReplicaNotReplicableError';
  }
}
