import { DynamicModule, Global, Module } from '@nestjs/common';
import { EnvClass, validateEnv } from './validate-env';

/** Token under which shared modules find the service's validated env. */
export const APP_ENV = Symbol('APP_ENV');

@Global()
@Module({})
export class ConfigModule {
  /**
   * Validates the environment once and provides it under its own class (for the service's
   * code) and under APP_ENV (for shared modules that only know the fragments).
   * Pass `env` to reuse an instance already validated in main.ts.
   */
  static forRoot<T extends object>(cls: EnvClass<T>, env: T = validateEnv(cls)): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: cls, useValue: env },
        { provide: APP_ENV, useValue: env },
      ],
      exports: [cls, APP_ENV],
    };
  }
}
