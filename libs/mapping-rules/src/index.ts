export * from './lib/languages';
export * from './lib/portal-url';
