import {
  ErrorCode,
  JsonValue,
  OpenFeatureEventEmitter,
  Provider,
  ResolutionDetails,
  ServerProviderEvents,
  StandardResolutionReasons,
} from '@openfeature/server-sdk';
import type { FlagReader, FlagReaderEvent } from './flag-reader';
import type { FlagType } from './flag-update';

/**
 * OpenFeature provider over a FlagReader: every evaluation is a synchronous read of the in-process copy.
 * Reason STATIC while the copy is current (values are the same for every context), STALE while Redis is
 * unreachable; unknown flags and wrong types resolve to the default with reason ERROR.
 */
export class FfcOpenFeatureProvider implements Provider {
  readonly metadata = { name: 'ffc-redis' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new OpenFeatureEventEmitter();
  private unsubscribe?: () => void;

  /** The provider owns the reader: it starts it on initialize and closes it on close. */
  constructor(readonly reader: FlagReader) {}

  async initialize(): Promise<void> {
    this.unsubscribe ??= this.reader.subscribe((event) => this.forward(event));
    if (this.reader.state === 'idle') await this.reader.start();
  }

  async onClose(): Promise<void> {
    this.unsubscribe?.();
    await this.reader.close();
  }

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean): Promise<ResolutionDetails<boolean>> {
    return Promise.resolve(this.resolve(flagKey, defaultValue, 'boolean'));
  }

  resolveStringEvaluation(flagKey: string, defaultValue: string): Promise<ResolutionDetails<string>> {
    return Promise.resolve(this.resolve(flagKey, defaultValue, 'string'));
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number): Promise<ResolutionDetails<number>> {
    return Promise.resolve(this.resolve(flagKey, defaultValue, 'number'));
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T): Promise<ResolutionDetails<T>> {
    return Promise.resolve(this.resolve(flagKey, defaultValue, 'json'));
  }

  private resolve<T>(flagKey: string, defaultValue: T, expected: FlagType): ResolutionDetails<T> {
    const entry = this.reader.get(flagKey);
    if (!entry) {
      return {
        value: defaultValue,
        reason: StandardResolutionReasons.ERROR,
        errorCode: ErrorCode.FLAG_NOT_FOUND,
        errorMessage: `flag '${flagKey}' is not set for service ${this.reader.service} in stage ${this.reader.stage}`,
      };
    }
    if (entry.type !== expected) {
      return {
        value: defaultValue,
        reason: StandardResolutionReasons.ERROR,
        errorCode: ErrorCode.TYPE_MISMATCH,
        errorMessage: `flag '${flagKey}' is a ${entry.type} flag, not ${expected}`,
      };
    }
    return {
      value: entry.value as T,
      reason: this.reader.state === 'stale' ? StandardResolutionReasons.STALE : StandardResolutionReasons.STATIC,
      flagMetadata: { version: entry.version, changedAt: entry.changedAt },
    };
  }

  private forward(event: FlagReaderEvent): void {
    if (event.type === 'changed') {
      this.events.emit(ServerProviderEvents.ConfigurationChanged, {
        flagsChanged: event.entries.map((entry) => entry.flagKey),
      });
    } else if (event.type === 'stale') {
      this.events.emit(ServerProviderEvents.Stale, { message: event.reason });
    } else {
      this.events.emit(ServerProviderEvents.Ready);
    }
  }
}
