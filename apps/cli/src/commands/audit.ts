import {
  AuditReader,
  AuditRecord,
  AuditStoreUnavailableError,
  auditConnectionFromEnv,
  createAuditClient,
  createAuditReader,
} from '@ffc/audit';
import { Command, InvalidArgumentError } from 'commander';
import type { CliIo } from '../io';
import { localEngines } from '../local-stage';

interface AuditQueryOptions {
  readonly json?: boolean;
  readonly stage?: string;
}

/** One line per event detail, so an operator reads the story without opening the JSON. */
function summary(record: AuditRecord): string {
  switch (record.type) {
    case 'change.requested':
      return record.details.reason ?? '';
    case 'change.rejected':
      return `violates ${record.details.ruleIds.join(', ')}`;
    case 'change.published':
      return `to ${record.details.targetServices.length} services`;
    case 'change.applied': {
      const { appliedCount, expectedCount, missingServices } = record.details;
      return `${appliedCount}/${expectedCount} applied${missingServices.length ? `; missing ${missingServices.join(', ')}` : ''}`;
    }
    case 'change.verified':
      return `${record.details.verifiedServices} services verified`;
    case 'change.inconsistent':
      return record.details.differences
        .map(
          (d) =>
            `${d.service} expected v${d.expectedVersion}, saw ${d.observedVersion === null ? 'nothing' : `v${d.observedVersion}`}`,
        )
        .join('; ');
    case 'rollback.started':
      return `v${record.details.fromVersion} -> v${record.details.toVersion}: ${record.details.reason}`;
    case 'rollback.completed':
      return `v${record.details.fromVersion} -> v${record.details.toVersion}`;
    case 'rollback.failed':
      return `v${record.details.fromVersion} -> v${record.details.toVersion}: ${record.details.error}`;
    case 'alert.raised':
      return `${record.details.severity}: ${record.details.message}`;
    case 'flag.archived':
      return `v${record.details.archivedVersion} archived from ${record.details.targetServices.length} services: ${record.details.reason}`;
  }
}

function line(record: AuditRecord): string {
  return [
    record.occurredAt,
    record.type.padEnd(19),
    record.region.padEnd(14),
    `v${record.version}`.padEnd(6),
    record.actor,
    record.correlationId,
    summary(record),
  ].join('  ');
}

function stageFrom(options: AuditQueryOptions): string {
  const stage = options.stage ?? process.env.FFC_STAGE;
  if (!stage) throw new Error('no stage given: pass --stage NAME or set FFC_STAGE');
  return stage;
}

/** Opens a reader for the query, and closes the client whatever happens. */
async function withReader<T>(options: AuditQueryOptions, query: (reader: AuditReader) => Promise<T>): Promise<T> {
  const stage = stageFrom(options);
  const connection = auditConnectionFromEnv(process.env, localEngines().opensearchUrl);
  const client = createAuditClient(connection, { requestTimeoutMs: 10_000 });
  try {
    return await query(createAuditReader({ client, stage }));
  } catch (error) {
    if (error instanceof AuditStoreUnavailableError) {
      throw new Error(
        `OpenSearch at ${connection.node} is unreachable (${error.message}); check FFC_OPENSEARCH_URL (a deployed stage's one audit domain is in its primary region), or start the local one with tools/engines up opensearch`,
      );
    }
    throw error;
  } finally {
    await client.close();
  }
}

function print(io: CliIo, records: AuditRecord[], json: boolean | undefined, nothingFound: string): void {
  if (records.length === 0) {
    io.err(`${nothingFound}\n`);
    process.exitCode = 1;
    return;
  }
  for (const record of records) io.out(`${json ? JSON.stringify(record) : line(record)}\n`);
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return parsed;
}

/**
 * `ffc history` and `ffc timeline`: read the stage's one audit history, the OpenSearch domain of its primary region
 * that every region's events are forwarded to (exit 1 when nothing is found).
 */
export function registerAuditCommands(program: Command, io: CliIo): void {
  program
    .command('history')
    .description("Show a flag's audit events from every region, newest first (the one history at FFC_OPENSEARCH_URL)")
    .argument('<flagKey>', 'the flag whose history to show')
    .option('--json', 'one JSON object per event')
    .option('--stage <name>', 'the stage whose audit trail to read (default: FFC_STAGE)')
    .option('--limit <count>', 'at most this many events (default 100, at most 10000)', positiveInteger)
    .action(async (flagKey: string, options: AuditQueryOptions & { limit?: number }) => {
      const records = await withReader(options, (reader) => reader.history(flagKey, { limit: options.limit }));
      print(io, records, options.json, `no audit events for flag '${flagKey}' in stage '${stageFrom(options)}'`);
    });

  program
    .command('timeline')
    .description(
      'Show every audit event of one change across regions, in order (the one history at FFC_OPENSEARCH_URL)',
    )
    .argument('<correlationId>', 'the correlation id that links the events of one change')
    .option('--json', 'one JSON object per event')
    .option('--stage <name>', 'the stage whose audit trail to read (default: FFC_STAGE)')
    .action(async (correlationId: string, options: AuditQueryOptions) => {
      const records = await withReader(options, (reader) => reader.timeline(correlationId));
      print(
        io,
        records,
        options.json,
        `no audit events for change '${correlationId}' in stage '${stageFrom(options)}'`,
      );
    });
}
