// Loaded first by every service (its `instrument.ts`): nothing here may import Nest, express or
// pg, or they would be loaded before their instrumentations.
export * from './lib/telemetry';
