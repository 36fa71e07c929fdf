export * from './lib/languages';
export * from './lib/portal-url';
export * from './lib/portal-dates';
export * from './lib/employee-mapping';
