// class-transformer's @Type needs the metadata polyfill wherever contracts are used.
import 'reflect-metadata';

export * from './lib/subjects';
export * from './lib/rpc';
export * from './lib/rpc-contracts';
export * from './lib/errors';
export * from './lib/formats';
export * from './lib/validation';
export * from './lib/employee';
export * from './lib/sync-run';
export * from './lib/integration-alert';
export * from './lib/envelope';
export * from './lib/events';
export * from './lib/catalogue';
export * from './events/employee-hired.event';
export * from './events/employee-updated.event';
export * from './events/employee-terminated.event';
export * from './events/employee-deleted.event';
export * from './events/sync-run-started.event';
export * from './events/sync-run-completed.event';
export * from './events/sync-run-failed.event';
export * from './events/sync-integration-alerted.event';
export * from './fixtures';
export * from './lms';
export * from './hr';
export * from './orchestrator';
export * from './lib/metrics';
