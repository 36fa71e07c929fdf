export * from './lib/test-service';
