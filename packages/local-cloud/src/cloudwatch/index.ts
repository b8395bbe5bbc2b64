export * from './errors';
export * from './log-store';
export * from './insights-query';
export {
  evaluateInsightsQuery,
  type EvaluateOptions,
  type FieldValue,
  type QueryableLogEvent,
  type ResultRow,
} from './insights-evaluator';
export * from './insights-service';
