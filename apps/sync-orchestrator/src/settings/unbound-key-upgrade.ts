import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { backoff, BackoffPolicy } from '@talentsync/shared/messaging';
import { IntegrationService } from './integration.service';

/** How long the start waits for the key to be bound: lms-connector may not be up yet. */
const FIRST_TRY_MS = 10_000;
/** Within that wait, the next try: lms-connector often starts alongside (a deploy). */
const QUICK_RETRY_MS = 250;
/** The wait before the next try (5 s doubling to 5 min): lms-connector may come up later. */
export const UPGRADE_RETRY: BackoffPolicy = { baseMs: 5_000, maxMs: 300_000 };

/**
 * The upgrade from a release before keys were bound to their company keeps syncing by itself:
 * at start, a stored TalentLMS key sealed unbound (v1) or for its portal only (v2) is re-sealed
 * bound to its company and portal (IntegrationService.bindUnboundKey), tried again in the
 * background until lms-connector answers. Every replica does this; the compare-and-set stores
 * one value. `npm run keys:reseal` stays for rotations.
 */
@Injectable()
export class UnboundKeyUpgrade implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(UnboundKeyUpgrade.name);
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private warned = false;
  private quickUntil = 0;
  private bound?: () => void;

  constructor(private readonly integrations: IntegrationService) {}

  async onApplicationBootstrap(): Promise<void> {
    // Waited for (tried every QUICK_RETRY_MS), so a run or push right after the start finds the
    // key bound even when lms-connector starts alongside; a slower lms-connector does not hold
    // the start: the tries go on in the background.
    this.quickUntil = Date.now() + FIRST_TRY_MS;
    const bound = new Promise<void>((done) => (this.bound = done));
    void this.attempt(1);
    let waited: NodeJS.Timeout | undefined;
    await Promise.race([bound, new Promise((done) => (waited = setTimeout(done, FIRST_TRY_MS)))]);
    clearTimeout(waited);
  }

  beforeApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.bound?.();
  }

  private async attempt(attempt: number): Promise<void> {
    if (this.stopped) return;
    let unbound: boolean;
    try {
      unbound = await this.integrations.bindUnboundKey();
    } catch (error) {
      if (!this.warned && Date.now() >= this.quickUntil) {
        this.warned = true;
        this.logger.warn(
          `A stored TalentLMS key is sealed before keys were bound to their company (from before the upgrade) and could not be re-sealed yet: ${(error as Error).message}; trying again in the background`,
        );
      }
      unbound = true;
    }
    if (!unbound) this.bound?.();
    if (unbound && !this.stopped && Date.now() < this.quickUntil) {
      this.timer = setTimeout(() => void this.attempt(attempt), QUICK_RETRY_MS);
      this.timer.unref();
      return;
    }
    if (unbound && !this.stopped) {
      this.timer = setTimeout(
        () => void this.attempt(attempt + 1),
        backoff(attempt, UPGRADE_RETRY),
      );
      this.timer.unref();
    }
  }
}
