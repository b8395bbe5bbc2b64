import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';

/** EMF metrics: CloudWatch reads them from the function's log stream, so the hot path makes no API call. */
export const metrics = new Metrics({ namespace: 'FeatureFlagConnector', serviceName: 'ffc' });

/** Counts one outcome of a handler (published, rejected, applied, stale, rolled back, alerted…). */
export function countOutcome(name: string, value = 1): void {
  if (value > 0) metrics.addMetric(name, MetricUnit.Count, value);
}

/** Flushes the counts of one invocation (a no-op when nothing was counted). */
export function publishOutcomes(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}
