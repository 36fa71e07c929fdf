export * from './lib/redaction';
export * from './lib/logging.module';
export * from './lib/trace-context';
export * from './lib/trace-hop';
