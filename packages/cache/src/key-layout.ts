import { InvalidServiceIdError, InvalidStageError } from './errors';

/** Service ids from the catalogue: lowercase kebab-case, 2 to 63 characters. */
export const SERVICE_ID_PATTERN = /^[a-z][a-z0-9-]{1,62}$/;
/** Stage names (`live`, `pr-142`): lowercase kebab-case, never braces or colons, which delimit keys. */
export const STAGE_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function assertServiceId(serviceId: string): string {
  if (typeof serviceId !== 'string' || !SERVICE_ID_PATTERN.test(serviceId)) {
    throw new InvalidServiceIdError(String(serviceId), SERVICE_ID_PATTERN);
  }
  return serviceId;
}

/**
 * Redis key and channel names of one stage. Every name carries the hash tag `{<stage>}`, so all of a
 * stage's keys live in one cluster slot and a change to all services is one script call, one round trip.
 */
export class KeyLayout {
  private readonly prefix: string;

  constructor(readonly stage: string) {
    if (typeof stage !== 'string' || !STAGE_PATTERN.test(stage)) {
      throw new InvalidStageError(String(stage), STAGE_PATTERN);
    }
    this.prefix = `ffc:{${stage}}`;
  }

  /** Hash of one service's flags: field `v:<flagKey>` holds the version, `e:<flagKey>` the entry JSON. */
  serviceFlags(serviceId: string): string {
    return `${this.prefix}:flags:${serviceId}`;
  }

  /** Pub/sub channel on which each applied entry of this service is published. */
  serviceChannel(serviceId: string): string {
    return `${this.prefix}:changed:${serviceId}`;
  }

  /** Prefix the apply script appends a service id to, to name that service's channel. */
  channelPrefix(): string {
    return `${this.prefix}:changed:`;
  }

  /** Hash of the readers that serve one flag version: field `<service>/<instance>`, value the record JSON. */
  acknowledgements(flagKey: string, version: number): string {
    return `${this.prefix}:acks:${flagKey}:${version}`;
  }

  /** SCAN pattern matching every key of the stage (for tearing a stage down). */
  everyKeyPattern(): string {
    return `ffc:{${this.stage}}:*`;
  }
}
