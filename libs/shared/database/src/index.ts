export * from './lib/snake-naming.strategy';
export * from './lib/data-source-options';
export * from './lib/database.module';
export * from './lib/database.health';
export * from './lib/connection-lost';
export * from './lib/unique-violation';
export * from './lib/company-scope';
export * from './lib/app-role';
