export * from './queue-service';
