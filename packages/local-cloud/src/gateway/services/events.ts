import { AwsServiceError, PutEventsRequestEntry } from '../backend';
import { EVENTS_ERRORS } from '../errors';
import { awsJsonProtocol } from '../protocols';
import { jsonObject, ServiceDefinition } from './service';

/** PutEvents takes 1 to 10 entries (API reference); failures of single entries come back in Entries[]. */
const MAX_ENTRIES = 10;

/** EventBridge: awsJson1_1 with `X-Amz-Target: AWSEvents.<Op>`. */
export const eventsService: ServiceDefinition = {
  signingName: 'events',
  protocol: awsJsonProtocol({ version: '1.1', targetPrefix: 'AWSEvents' }),
  errors: EVENTS_ERRORS,
  operations: {
    PutEvents: ({ events }) =>
      events &&
      (async (ctx, input) => {
        const request = jsonObject(input);
        const entries = Array.isArray(request.Entries) ? request.Entries.map(jsonObject) : [];
        if (entries.length < 1 || entries.length > MAX_ENTRIES) {
          throw new AwsServiceError(
            'ValidationException',
            `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES}`,
          );
        }
        const { FailedEntryCount, Entries } = await events.putEvents(ctx, {
          ...request,
          Entries: entries.map(decodeEntry),
        });
        return { FailedEntryCount, Entries };
      }),
  },
};

/** Time travels as epoch seconds. */
function decodeEntry(entry: Record<string, unknown>): PutEventsRequestEntry {
  return { ...entry, Time: typeof entry.Time === 'number' ? new Date(entry.Time * 1000) : undefined };
}
