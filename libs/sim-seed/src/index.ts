export * from './lib/sim-seed';
