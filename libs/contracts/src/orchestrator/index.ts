export * from './get-run.request';
