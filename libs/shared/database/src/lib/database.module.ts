import { DynamicModule, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { APP_ENV } from '@talentsync/shared/config';
import {
  DatabaseSettings,
  dataSourceOptions,
  ensureSchema,
  runServiceMigrations,
  ServiceDataOptions,
} from './data-source-options';
import { DatabaseHealthIndicator } from './database.health';

@Module({})
export class DatabaseModule {
  /**
   * The service's TypeORM connection: creates its schema, applies its pending migrations
   * (unless MIGRATIONS_RUN=false), and exposes a readiness indicator for it.
   */
  static forRoot(data: ServiceDataOptions): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_ENV],
          useFactory: (env: DatabaseSettings) => ({
            ...dataSourceOptions(env, data),
            // Carried to dataSourceFactory, which runs them itself under a lock.
            migrationsRun: env.MIGRATIONS_RUN,
            retryAttempts: 5,
            retryDelay: 2_000,
          }),
          dataSourceFactory: async (options?: DataSourceOptions) => {
            if (!options) throw new Error('DatabaseModule: no data source options');
            const { url, schema } = options as { url: string; schema: string };
            await ensureSchema(url, schema);
            const dataSource = await new DataSource({
              ...options,
              migrationsRun: false,
            }).initialize();
            if (options.migrationsRun) {
              const applied = await runServiceMigrations(dataSource, schema);
              if (applied.length > 0) {
                new Logger(DatabaseModule.name).log(
                  `Applied ${applied.length} migration(s) in schema ${schema}: ${applied.join(', ')}`,
                );
              }
            }
            return dataSource;
          },
        }),
      ],
      providers: [DatabaseHealthIndicator],
      exports: [DatabaseHealthIndicator],
    };
  }
}
