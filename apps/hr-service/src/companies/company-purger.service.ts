import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { describeError } from '@talentsync/contracts';
import { companyTransaction } from '@talentsync/shared/database';
import { OutboxWriter, PollingWorker } from '@talentsync/shared/messaging';
import { companyPurged } from './company-events';

/** Purging is day-scale (COMPANY_PURGE_AFTER): a look every few minutes is plenty. */
const SWEEP_INTERVAL_MS = 5 * 60_000;
const BATCH = 20;

/** A company's rows, children first. `company_tokens` belongs to the tokens module. */
const COMPANY_ROWS = ['training_records', 'enrolment_requests', 'employees', 'company_tokens'];

/**
 * Removes deleted companies whose grace period is over, with every row they own, and
 * publishes `company.purged`. Each company in its own transaction under its own company
 * setting (RLS keeps the deletes inside it); replicas skip a company another one is purging.
 */
@Injectable()
export class CompanyPurger implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(CompanyPurger.name);
  private readonly worker = new PollingWorker({
    idleMs: SWEEP_INTERVAL_MS,
    pass: async () => {
      const purged = await this.sweep(BATCH);
      if (purged > 0) this.logger.log(`Purged ${purged} deleted compan(ies)`);
      return purged === BATCH;
    },
    onError: (error) =>
      this.logger.error(`Purging deleted companies failed: ${describeError(error)}`),
  });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.stop();
  }

  /** Purges up to `limit` companies past their purge time; resolves with how many. */
  async sweep(limit = BATCH): Promise<number> {
    // `companies` has no RLS: the scan needs no company setting.
    const due: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM companies WHERE deleted_at IS NOT NULL AND purge_after <= now()
        ORDER BY purge_after, id LIMIT $1`,
      [limit],
    );
    let purged = 0;
    for (const { id } of due) {
      const done = await companyTransaction(this.dataSource, id, async (manager) => {
        const [mine] = await manager.query(
          `SELECT id FROM companies WHERE id = $1 AND purge_after <= now()
             FOR UPDATE SKIP LOCKED`,
          [id],
        );
        if (!mine) return false;
        await this.purgeIn(manager, id);
        return true;
      });
      if (done) purged += 1;
    }
    if (purged > 0) this.outbox.flush();
    return purged;
  }

  /**
   * Deletes every row of the company and the company itself, and records `company.purged`, in
   * the caller's transaction (which runs under that company's setting).
   */
  async purgeIn(manager: EntityManager, companyId: string): Promise<void> {
    // Waits for work in hand in the company (it holds the row FOR KEY SHARE); work that starts
    // later finds the company gone.
    await manager.query(`SELECT id FROM companies WHERE id = $1 FOR UPDATE`, [companyId]);
    for (const table of COMPANY_ROWS) {
      const [{ present }] = await manager.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [
        table,
      ]);
      if (present) await manager.query(`DELETE FROM ${table} WHERE company_id = $1`, [companyId]);
    }
    // Relayed events of the company carry its employees' data; unsent ones still go out.
    await manager.query(`DELETE FROM outbox WHERE company_id = $1 AND sent_at IS NOT NULL`, [
      companyId,
    ]);
    await manager.query(`DELETE FROM companies WHERE id = $1`, [companyId]);
    await this.outbox.add(manager, companyPurged(companyId));
  }
}
