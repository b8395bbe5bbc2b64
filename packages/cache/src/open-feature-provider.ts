import {
  ErrorCode,
  EvaluationContext,
  JsonValue,
  OpenFeatureEventEmitter,
  Provider,
  ResolutionDetails,
  ServerProviderEvents,
  StandardResolutionReasons,
} from '@openfeature/server-sdk';
import type { FlagLookup } from './evaluation/evaluate';
import type { FlagType } from './evaluation/flag-spec';
import type { FlagReader, FlagReaderEvent } from './flag-reader';

/**
 * OpenFeature provider over a FlagReader: every evaluation runs the flag's compiled spec against the
 * evaluation context, synchronously, from the in-process copy. Reasons: STATIC (same for every context),
 * TARGETING_MATCH, SPLIT (a partial rollout), DEFAULT (targeting did not match: the flag's off value),
 * DISABLED (rollout 0 % or a prerequisite not met: the off value), STALE (any of these while Redis is
 * unreachable), ERROR (the caller's default, with FLAG_NOT_FOUND, TYPE_MISMATCH, PARSE_ERROR or
 * PROVIDER_NOT_READY).
 */
export class FfcOpenFeatureProvider implements Provider {
  readonly metadata = { name: 'ffc-redis' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new OpenFeatureEventEmitter();
  private unsubscribe?: () => void;
  private readonly lookup: FlagLookup;

  /** The provider owns the reader: it starts it on initialize and closes it on close. */
  constructor(readonly reader: FlagReader) {
    // Prerequisites are the same service's flags, evaluated for the same context.
    this.lookup = (flagKey) => reader.flag(flagKey)?.compiled;
  }

  async initialize(): Promise<void> {
    this.unsubscribe ??= this.reader.subscribe((event) => this.forward(event));
    if (this.reader.state === 'idle') await this.reader.start();
  }

  async onClose(): Promise<void> {
    this.unsubscribe?.();
    await this.reader.close();
  }

  resolveBooleanEvaluation(
    flagKey: string,
    defaultValue: boolean,
    context: EvaluationContext = {},
  ): Promise<ResolutionDetails<boolean>> {
    return Promise.resolve(this.resolve(flagKey, defaultValue, 'boolean', context));
  }

  resolveStringEvaluation(
    flagKey: string,
    defaultValue: string,
    context: EvaluationContext = {},
  ): Promise<ResolutionDetails<string>> {
    return Promise.resolve(this.resolve(flagKey, defaultValue, 'string', context));
  }

  resolveNumberEvaluation(
    flagKey: string,
    defaultValue: number,
    context: EvaluationContext = {},
  ): Promise<ResolutionDetails<number>> {
    return Promise.resolve(this.resolve(flagKey, defaultValue, 'number', context));
  }

  resolveObjectEvaluation<T extends JsonValue>(
    flagKey: string,
    defaultValue: T,
    context: EvaluationContext = {},
  ): Promise<ResolutionDetails<T>> {
    return Promise.resolve(this.resolve(flagKey, defaultValue, 'json', context));
  }

  /** The synchronous evaluation behind every resolve method (what a request path calls). */
  resolve<T>(flagKey: string, defaultValue: T, expected: FlagType, context: EvaluationContext): ResolutionDetails<T> {
    const served = this.reader.flag(flagKey);
    if (!served) {
      const notReady = this.reader.state === 'idle' || this.reader.state === 'closed';
      return notReady
        ? failed(
            defaultValue,
            ErrorCode.PROVIDER_NOT_READY,
            `the flag reader of ${this.reader.service} is ${this.reader.state}: initialize the provider first`,
          )
        : failed(
            defaultValue,
            ErrorCode.FLAG_NOT_FOUND,
            `flag '${flagKey}' is not set (or archived) for service ${this.reader.service} in stage ${this.reader.stage}`,
          );
    }
    const { entry, compiled } = served;
    if (entry.type !== expected) {
      return failed(
        defaultValue,
        ErrorCode.TYPE_MISMATCH,
        `flag '${flagKey}' is a ${entry.type} flag, not ${expected}`,
      );
    }
    if (!compiled) return failed(defaultValue, ErrorCode.PARSE_ERROR, served.error);
    const result = compiled.evaluate(context, this.lookup);
    return {
      value: result.value as T,
      variant: result.variant,
      reason: this.reader.state === 'stale' ? StandardResolutionReasons.STALE : result.reason,
      flagMetadata: { version: entry.version, changedAt: entry.changedAt },
    };
  }

  private forward(event: FlagReaderEvent): void {
    if (event.type === 'changed') {
      this.events.emit(ServerProviderEvents.ConfigurationChanged, {
        flagsChanged: [...event.entries, ...event.archived].map((record) => record.flagKey),
      });
    } else if (event.type === 'stale') {
      this.events.emit(ServerProviderEvents.Stale, { message: event.reason });
    } else {
      this.events.emit(ServerProviderEvents.Ready);
    }
  }
}

function failed<T>(value: T, errorCode: ErrorCode, errorMessage: string): ResolutionDetails<T> {
  return { value, reason: StandardResolutionReasons.ERROR, errorCode, errorMessage };
}
