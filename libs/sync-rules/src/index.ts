export * from './lib/types';
export * from './lib/matching';
export * from './lib/planner';
export * from './lib/training';
export * from './lib/person';
export * from './lib/counts';
export * from './lib/write-versions';
export * from './lib/owner-alerts';
