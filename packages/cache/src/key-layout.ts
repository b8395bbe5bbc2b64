import { flagCacheKeyPrefix, isServiceId, isStageName, SERVICE_ID_PATTERN, STAGE_NAME_PATTERN } from '@ffc/identifiers';
import { InvalidServiceIdError, InvalidStageError } from './errors';

// The grammars are @ffc/identifiers' (never braces or colons, which delimit keys); the errors stay FlagCacheErrors.
export function assertServiceId(serviceId: string): string {
  if (!isServiceId(serviceId)) throw new InvalidServiceIdError(String(serviceId), SERVICE_ID_PATTERN);
  return serviceId;
}

/**
 * Redis key and channel names of one stage. Every name carries the hash tag `{<stage>}`, so all of a
 * stage's keys live in one cluster slot and a change to all services is one script call, one round trip.
 */
export class KeyLayout {
  private readonly prefix: string;

  constructor(readonly stage: string) {
    if (!isStageName(stage)) throw new InvalidStageError(String(stage), STAGE_NAME_PATTERN);
    this.prefix = flagCacheKeyPrefix(stage);
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
    return `${this.prefix}:*`;
  }
}
