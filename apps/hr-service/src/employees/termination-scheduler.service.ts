import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { HrEnv } from '../config/hr.env';
import { EmployeesService } from './employees.service';

const BATCH = 100;

/**
 * Applies terminations whose date has come (status terminated + employee.terminated), at start
 * and every TERMINATION_CHECK_INTERVAL. Safe with several replicas: each pass locks the rows it
 * takes and skips those another replica holds, and a row it applied is no longer due.
 */
@Injectable()
export class TerminationScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TerminationScheduler.name);
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;
  private stopped = true;

  constructor(
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
  async applyDue(): Promise<number> {
    let applied = 0;
    for (;;) {
      const batch = await this.employees.applyDueTerminations(BATCH);
      applied += batch;
      if (batch < BATCH) return applied;
    }
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
