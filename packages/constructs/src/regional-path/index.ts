export * from './slo-alarms';
export * from './regional-path';
