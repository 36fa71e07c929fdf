import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { companyTransaction } from '@talentsync/shared/database';
import { deleteCompanyDeadLetters } from '@talentsync/shared/messaging';
import { RunLauncher } from '../runs/run-launcher.service';
import { RunsService } from '../runs/runs.service';
import type { IntegrationSettingsDto } from '../settings/integration.dto';
import { IntegrationService } from '../settings/integration.service';
import type { IntegrationView } from '../settings/integration.dto';

/** A company's tables, children first: what a purge empties. */
const COMPANY_TABLES = [
  'push_queue',
  'sync_run_items',
  'sync_runs',
  'employee_links',
  'employee_pushes',
  'employee_push_versions',
  'employee_write_versions',
  'integration',
];

/**
 * Turning a company's integration on and off, and what that means for runs: the first save
 * activates it and starts the initial sync; a deactivation ends a run held for approval; a
 * deleted company's integration stops, a purged one's rows go.
 */
@Injectable()
export class IntegrationLifecycle {
  private readonly logger = new Logger(IntegrationLifecycle.name);

  constructor(
    private readonly settings: IntegrationService,
    private readonly launcher: RunLauncher,
    private readonly runs: RunsService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * Verifies, then saves. The first successful save activates the integration and starts the
   * initial sync at once (its id is returned as `initialRunId`).
   */
  async save(
    companyId: string,
    dto: IntegrationSettingsDto,
  ): Promise<IntegrationView & { initialRunId?: string }> {
    const { integration, activated } = await this.settings.save(companyId, dto);
    let initialRunId: string | undefined;
    if (activated) {
      try {
        initialRunId = (await this.launcher.launch({ companyId, trigger: 'initial' })).id;
      } catch (error) {
        this.logger.warn(
          `Integration activated, but the initial sync could not start: ${(error as Error).message}`,
        );
      }
    }
    return { ...this.settings.toView(integration), ...(initialRunId ? { initialRunId } : {}) };
  }

  /**
   * Stops all syncing (see IntegrationService.deactivate). A run held for approval ends
   * unapplied: it would otherwise block the next activation's initial sync, and approving it
   * later would apply a plan made under the old settings.
   */
  async deactivate(companyId: string): Promise<IntegrationView> {
    const view = await this.settings.deactivate(companyId);
    await this.runs.endHeld(
      companyId,
      'the integration was deactivated before the run was approved',
    );
    return view;
  }

  /**
   * The company was deleted: no more runs, pushes or schedule (a running run stops before its
   * next write, a held one ends); its settings and history stay until the purge. Idempotent.
   */
  async stopCompany(companyId: string): Promise<void> {
    const integration = await this.settings.current(companyId);
    if (integration?.active) await this.settings.deactivate(companyId);
    await this.runs.endHeld(companyId, 'the company was deleted before the run was approved');
  }

  /**
   * The company was purged: every row of it is deleted, its dead letters too (after stopping
   * what still runs).
   */
  async purgeCompany(companyId: string): Promise<void> {
    await this.stopCompany(companyId);
    await companyTransaction(this.dataSource, companyId, async (m) => {
      for (const table of COMPANY_TABLES)
        await m.query(`DELETE FROM ${table} WHERE company_id = $1`, [companyId]);
      await deleteCompanyDeadLetters(m, companyId);
    });
  }
}
