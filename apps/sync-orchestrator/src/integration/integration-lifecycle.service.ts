import { Injectable, Logger } from '@nestjs/common';
import { RunLauncher } from '../runs/run-launcher.service';
import { RunsService } from '../runs/runs.service';
import type { IntegrationSettingsDto } from '../settings/integration.dto';
import { IntegrationService } from '../settings/integration.service';
import type { IntegrationView } from '../settings/integration.dto';

/**
 * Turning the integration on and off, and what that means for runs: the first save activates
 * it and starts the initial sync; a deactivation ends a run held for approval.
 */
@Injectable()
export class IntegrationLifecycle {
  private readonly logger = new Logger(IntegrationLifecycle.name);

  constructor(
    private readonly settings: IntegrationService,
    private readonly launcher: RunLauncher,
    private readonly runs: RunsService,
  ) {}

  /**
   * Verifies, then saves. The first successful save activates the integration and starts the
   * initial sync at once (its id is returned as `initialRunId`).
   */
  async save(dto: IntegrationSettingsDto): Promise<IntegrationView & { initialRunId?: string }> {
    const { integration, activated } = await this.settings.save(dto);
    let initialRunId: string | undefined;
    if (activated) {
      try {
        initialRunId = (await this.launcher.launch({ trigger: 'initial' })).id;
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
  async deactivate(): Promise<IntegrationView> {
    const view = await this.settings.deactivate();
    await this.runs.endHeld('the integration was deactivated before the run was approved');
    return view;
  }
}
