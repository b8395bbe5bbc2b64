export * from './errors';
export * from './log-store';
export * from './insights-query';
export { evaluateInsightsQuery, EvaluateOptions, FieldValue, QueryableLogEvent, ResultRow } from './insights-evaluator';
export * from './insights-service';
