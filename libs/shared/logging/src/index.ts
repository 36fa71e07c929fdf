export * from './lib/redaction';
export * from './lib/logging.module';
