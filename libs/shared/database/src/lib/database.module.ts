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
import { appRoleUrl, ensureAppRole } from './app-role';

/**
 * Pending migrations and the app role's grants, on a short-lived connection as DATABASE_URL's
 * user (the tables' owner), before the service's own connections open.
 */
async function migrateAsOwner(
  options: DataSourceOptions,
  schema: string,
  appRole: { user: string; password?: string },
): Promise<void> {
  const owner = await new DataSource({
    ...options,
    migrationsRun: false,
    extra: { ...(options as { extra?: object }).extra, max: 2 }, // the lock's and the migrations'
  } as DataSourceOptions).initialize();
  try {
    const applied = await runServiceMigrations(owner, schema);
    if (applied.length > 0) {
      new Logger(DatabaseModule.name).log(
        `Applied ${applied.length} migration(s) in schema ${schema}: ${applied.join(', ')}`,
      );
    }
    await ensureAppRole(owner, schema, appRole.user, appRole.password);
  } finally {
    await owner.destroy();
  }
}

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
            appRole: { user: env.DATABASE_APP_USER, password: env.DATABASE_APP_PASSWORD },
            // Carried to dataSourceFactory, which runs them itself under a lock.
            migrationsRun: env.MIGRATIONS_RUN,
            retryAttempts: 5,
            retryDelay: 2_000,
          }),
          dataSourceFactory: async (options?: DataSourceOptions) => {
            if (!options) throw new Error('DatabaseModule: no data source options');
            const { url, schema, appRole } = options as unknown as {
              url: string;
              schema: string;
              appRole: { user: string; password?: string };
            };
            await ensureSchema(url, schema);
            if (options.migrationsRun) await migrateAsOwner(options, schema, appRole);
            // The service itself works as the app role: the company rule binds it (SPEC 9).
            return new DataSource({
              ...options,
              url: appRoleUrl(url, appRole.user, appRole.password),
              migrationsRun: false,
            } as DataSourceOptions).initialize();
          },
        }),
      ],
      providers: [DatabaseHealthIndicator],
      exports: [DatabaseHealthIndicator],
    };
  }
}
