export * from './lib/validate-env';
export * from './lib/env-fragments';
export * from './lib/config.module';
export * from './lib/readiness-check';
export * from './lib/secrets';
export * from './lib/nats-client-options';
