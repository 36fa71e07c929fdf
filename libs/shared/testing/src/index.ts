export * from './lib/test-infra';
export * from './lib/isolation';
export * from './lib/wait-for';
export * from './lib/private-nats';
export * from './lib/simulator';
export * from './lib/stale-streams';
export * from './lib/smtp-catcher';
export * from './lib/legacy-seal';
