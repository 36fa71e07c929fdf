export * from './lib/languages';
