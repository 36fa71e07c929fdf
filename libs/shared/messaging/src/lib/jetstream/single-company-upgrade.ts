import type { Logger } from '@nestjs/common';
import { jetstreamManager } from '@nats-io/jetstream';
import {
  eventSubject,
  FIRST_COMPANY_ID,
  isSingleCompanySubject,
  singleCompanyGroupFilter,
  type EventGroup,
} from '@talentsync/contracts';
import type { NatsConnection } from '../nats.connection';

/** A message as the consumer validates it: its body, and the subject its event must name. */
export interface TakenAs {
  body: unknown;
  subject: string;
}

/**
 * A durable found still on the single-company release's filter (same durable name, e.g.
 * `employee.>`): that release's events left in the stream when it stopped (never delivered, or
 * delivered and never acknowledged) were silently skipped by a move to today's filter, since
 * their subjects have no company token. So the durable keeps the old filter until it has
 * handled them, each as the first company's (whose data that release's became at the
 * upgrade), through the same validation, retries and dead letters as any event; then it moves
 * to today's filter, and an event without a company is nobody's again.
 *
 * Safe with every replica starting at once: they share the durable (one delivery at a time),
 * each sees the same counts, the move is the same update, and it keeps the position. Nothing
 * is skipped by the move: that release's events all lie before the first of today's (the old
 * release is stopped before this one starts: README, "Upgrading from the single-company
 * release").
 */
export class SingleCompanyUpgrade {
  private readonly check: NodeJS.Timeout;
  private done = false;

  private constructor(
    private readonly nats: NatsConnection,
    private readonly at: { stream: string; durable: string },
    private readonly group: EventGroup,
    private readonly oldFilter: string,
    private readonly newFilter: string,
    private readonly logger: Logger,
  ) {
    // On a clock, not after each message: a dead-lettered last message (its term is not
    // awaited) or another replica's ack would otherwise leave no one to look again.
    this.check = setInterval(() => void this.finish().catch(() => undefined), 1_000);
    this.check.unref();
  }

  /** The filter the durable keeps: the old release's while it is on it, else today's. */
  static filterToKeep(
    nats: NatsConnection,
    group: EventGroup | undefined,
    currentFilter: string | undefined,
    newFilter: string,
  ): string {
    const oldFilter = group && nats.subject(singleCompanyGroupFilter(group));
    return oldFilter && currentFilter === oldFilter ? oldFilter : newFilter;
  }

  /** Begins the upgrade of a durable on the old filter with `left` events of it pending. */
  static async begin(
    nats: NatsConnection,
    at: { stream: string; durable: string },
    group: EventGroup,
    filters: { old: string; new: string },
    left: number,
    logger: Logger,
  ): Promise<SingleCompanyUpgrade> {
    logger.warn(
      `Durable ${at.durable} is still on the single-company release's filter ${filters.old}: ` +
        `its ${left} events left are handled as company ${FIRST_COMPANY_ID}'s, then it moves ` +
        `to ${filters.new}`,
    );
    const upgrade = new SingleCompanyUpgrade(nats, at, group, filters.old, filters.new, logger);
    await upgrade
      .finish()
      .catch((error: Error) =>
        logger.warn(`Could not look at the upgrade yet (${error.message}); looking again`),
      );
    return upgrade;
  }

  /**
   * How to take a message while upgrading: one on the old subject of a type is that type's
   * event of the first company (`companyId` added when it has none; one naming a company
   * there is forged and fails the subject check). Today's messages are taken as they are.
   */
  takeAs(subject: string, body: unknown): TakenAs {
    if (this.done || !isSingleCompanySubject(this.group, subject)) return { body, subject };
    const firstCompanys =
      typeof body === 'object' && body !== null && !('companyId' in body)
        ? { ...body, companyId: FIRST_COMPANY_ID }
        : body;
    return { body: firstCompanys, subject: eventSubject(subject, FIRST_COMPANY_ID) };
  }

  /** Moves the durable to today's filter once nothing of the old one is pending or in hand. */
  async finish(): Promise<void> {
    if (this.done) return;
    const jsm = await jetstreamManager(this.nats.connection);
    const info = await jsm.consumers.info(this.at.stream, this.at.durable);
    if (info.config.filter_subject === this.oldFilter) {
      if (info.num_pending > 0 || info.num_ack_pending > 0) return;
      await jsm.consumers.update(this.at.stream, this.at.durable, {
        filter_subject: this.newFilter,
      });
      this.logger.log(
        `Durable ${this.at.durable}: the single-company release's events are handled; ` +
          `filter ${this.oldFilter} -> ${this.newFilter}`,
      );
    }
    this.stop();
  }

  stop(): void {
    clearInterval(this.check);
    this.done = true;
  }
}
