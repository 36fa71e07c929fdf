export * from './lib/public.decorator';
export * from './lib/bearer-auth.guard';
export * from './lib/validation';
export * from './lib/app-error.filter';
export * from './lib/health.module';
export * from './lib/metrics.module';
export * from './lib/service-edge.module';
export * from './lib/bootstrap';
