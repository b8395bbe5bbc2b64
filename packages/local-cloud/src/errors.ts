/** A stage the local cloud cannot run as synthesised, or an operation it does not emulate: the message says which. */
export class LocalCloudError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalCloudError';
  }
}

/** A template feature the local cloud does not emulate: refused at start-up, never silently ignored. */
export class NotEmulatedError extends LocalCloudError {
  constructor(where: string, what: string) {
    super(`${where}: ${what} is not emulated by the local cloud`);
    this.name = 'NotEmulatedError';
  }
}
