import { FlagChange } from '@ffc/rules';

/** A change accepted in one region, addressed to an explicit set of services. */
export interface PublishedChange {
  readonly change: FlagChange;
  readonly region: string;
  /** Service ids this region delivers to (the catalogue resolved: never `*`). */
  readonly services: readonly string[];
  readonly correlationId: string;
  /**
   * The correlation id of the same-version write this region published before, which last-writer-wins
   * replaced with this one: caches holding it take this one. @default - a new version, nothing replaced
   */
  readonly replaces?: string;
}

/** Hands an accepted change to the fan-out (SNS) and announces it for verification (EventBridge). */
export interface ChangePublisher {
  publish(published: PublishedChange): Promise<void>;
}
