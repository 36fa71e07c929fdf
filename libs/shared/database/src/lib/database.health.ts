import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ReadinessCheck, ReadinessResult } from '@talentsync/shared/config';

/** Ready when the service's own schema answers a query within the timeout. */
@Injectable()
export class DatabaseHealthIndicator implements ReadinessCheck {
  readonly name = 'database';

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async check(timeoutMs = 2_000): Promise<ReadinessResult> {
    const schema = (this.dataSource.options as { schema?: string }).schema ?? 'public';
    let timer: NodeJS.Timeout | undefined;
    try {
      const rows = await Promise.race([
        this.dataSource.query(
          'SELECT 1 AS ok FROM information_schema.schemata WHERE schema_name = $1',
          [schema],
        ),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
      return rows.length === 1
        ? { up: true, schema }
        : { up: false, schema, message: 'schema is missing' };
    } catch (error) {
      return { up: false, schema, message: (error as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }
}
