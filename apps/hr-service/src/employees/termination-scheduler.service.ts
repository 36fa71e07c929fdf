import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { describeError } from '@talentsync/contracts';
import { acrossCompanies } from '@talentsync/shared/database';
import { HrEnv } from '../config/hr.env';
import { todayUtc } from './employee-data';
import { EmployeesService } from './employees.service';

const BATCH = 100;

/**
 * Applies terminations whose date has come (status terminated + employee.terminated), at start
 * and every TERMINATION_CHECK_INTERVAL, for every company: one scan across companies finds
 * them, each company's are applied in its own transaction. Safe with several replicas: each
 * write locks the rows it takes and skips those another replica holds, and a row it applied is
 * no longer due.
 */
@Injectable()
export class TerminationScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TerminationScheduler.name);
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;
  private stopped = true;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly employees: EmployeesService,
    private readonly env: HrEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.pass;
  }

  /** Applies every due termination now; resolves with how many. */
  async applyDue(today = todayUtc()): Promise<number> {
    let applied = 0;
    for (;;) {
      const due = await this.findDue(today);
      let batch = 0;
      for (const [companyId, ids] of due.byCompany) {
        // One company's failure (deleted meanwhile...) does not hold back the others.
        batch += await this.employees.applyDueTerminations(companyId, ids, today).catch((error) => {
          this.logger.error(`Terminations of company ${companyId} failed: ${describeError(error)}`);
          return 0;
        });
      }
      applied += batch;
      // A full scan with nothing applied: another replica holds those rows.
      if (due.scanned < BATCH || batch === 0) return applied;
    }
  }

  /** Up to BATCH due terminations, across companies, grouped by company. */
  private async findDue(today: string) {
    const rows: { company_id: string; id: string }[] = await acrossCompanies(
      this.dataSource,
      'termination scheduler: find terminations whose date has come',
      (manager) =>
        manager.query(
          `SELECT e.company_id, e.id FROM employees e
             JOIN companies c ON c.id = e.company_id AND c.deleted_at IS NULL
            WHERE e.status = 'active' AND e.termination_date <= $1
            ORDER BY e.termination_date, e.id LIMIT $2`,
          [today, BATCH],
        ),
    );
    const byCompany = new Map<string, string[]>();
    for (const row of rows) {
      byCompany.set(row.company_id, [...(byCompany.get(row.company_id) ?? []), row.id]);
    }
    return { scanned: rows.length, byCompany };
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.pass = this.applyDue()
        .then(
          (applied) => {
            if (applied > 0) this.logger.log(`Applied ${applied} termination(s) whose date came`);
          },
          (error: Error) => this.logger.error(`Applying due terminations failed: ${error.message}`),
        )
        .finally(() => {
          if (!this.stopped) this.schedule(this.env.terminationCheckIntervalMs);
        });
    }, delayMs);
  }
}
