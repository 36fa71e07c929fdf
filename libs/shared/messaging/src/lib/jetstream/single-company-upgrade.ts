import type { Logger } from '@nestjs/common';
import { jetstreamManager } from '@nats-io/jetstream';
import {
  eventSubject,
  FIRST_COMPANY_ID,
  isSingleCompanySubject,
  singleCompanyGroupFilter,
  subjectMatches,
  type EventGroup,
} from '@talentsync/contracts';
import type { NatsConnection } from '../nats.connection';

/** A message as the consumer validates it: its body, and the subject its event must name. */
export interface TakenAs {
  body: unknown;
  subject: string;
}

/** The filters of an upgrade, on the wire: the old release's, the one drained on, today's. */
interface UpgradeFilters {
  old: string;
  drain: string;
  new: string;
}

/**
 * A durable found still on the single-company release's filter (same durable name, e.g.
 * `sync.run.>`): that release's events left in the stream when it stopped (never delivered,
 * or delivered and never acknowledged) have subjects without a company, which today's filter
 * does not match; moving the durable to it skipped them silently (nats-server 2.9 keeps the
 * position). So the durable first drains on its stream's whole subject space (`sync.>`, a
 * filter that takes both the old subjects and today's: a narrower one would let the server's
 * position run past today's events, which the move would then skip too), handles each old
 * event as the first company's (whose data that release's became at the upgrade) through the
 * same validation, retries and dead letters as any event, acknowledges without handling what
 * is not its own, and moves to today's filter once nothing is pending. Then an event without a
 * company is nobody's again.
 *
 * Safe with every replica starting at once, and with several messages in hand: they share the
 * durable (each message goes to one of them), a message in hand counts as pending until it is
 * acknowledged, so the move waits for all; each replica sees the same counts and makes the
 * same update; a replica starting while another has moved it drains again on the wider filter
 * (nothing left), and moves it back.
 */
export class SingleCompanyUpgrade {
  private readonly check: NodeJS.Timeout;
  private done = false;

  private constructor(
    private readonly nats: NatsConnection,
    private readonly at: { stream: string; durable: string },
    private readonly group: EventGroup,
    private readonly filters: UpgradeFilters,
    /** Today's filter as the catalogue writes it (subjects are compared unqualified). */
    private readonly ownFilter: string,
    private readonly logger: Logger,
  ) {
    // On a clock, not after each message: a dead-lettered last message (its term is not
    // awaited) or another replica's ack would otherwise leave no one to look again.
    this.check = setInterval(() => void this.finish().catch(() => undefined), 1_000);
    this.check.unref();
  }

  /**
   * The filters of an upgrade when the durable's current one says it is not done (the old
   * release's, or the drain's), else undefined: nothing to upgrade.
   */
  static pending(
    nats: NatsConnection,
    group: EventGroup | undefined,
    currentFilter: string | undefined,
    ownFilter: string,
  ): UpgradeFilters | undefined {
    if (!group) return undefined;
    const old = singleCompanyGroupFilter(group);
    const filters = {
      old: nats.subject(old),
      drain: nats.subject(`${old.split('.')[0]}.>`),
      new: nats.subject(ownFilter),
    };
    return currentFilter === filters.old || currentFilter === filters.drain ? filters : undefined;
  }

  /** Begins the upgrade of a durable now on the drain filter, with `left` messages pending. */
  static async begin(
    nats: NatsConnection,
    at: { stream: string; durable: string },
    group: EventGroup,
    filters: UpgradeFilters,
    ownFilter: string,
    left: number,
    logger: Logger,
  ): Promise<SingleCompanyUpgrade> {
    logger.warn(
      `Durable ${at.durable} is still on the single-company release's filter ${filters.old}: ` +
        `it drains its ${left} messages left on ${filters.drain}, the old release's events as ` +
        `company ${FIRST_COMPANY_ID}'s, then moves to ${filters.new}`,
    );
    const upgrade = new SingleCompanyUpgrade(nats, at, group, filters, ownFilter, logger);
    await upgrade
      .finish()
      .catch((error: Error) =>
        logger.warn(`Could not look at the upgrade yet (${error.message}); looking again`),
      );
    return upgrade;
  }

  /**
   * Whether a message of the stream is this consumer's: an old subject of a type of its group,
   * or one its own filter takes (anything once the upgrade is done).
   */
  isOwn(subject: string): boolean {
    return (
      this.done ||
      isSingleCompanySubject(this.group, subject) ||
      subjectMatches(this.ownFilter, subject)
    );
  }

  /**
   * While upgrading, an event on the old subject of a type of the group is that type's event
   * of the first company (`companyId` added when it has none; one naming a company there is
   * forged and fails the subject check); today's are taken as they are.
   */
  takeAs(subject: string, body: unknown): TakenAs {
    if (this.done || !isSingleCompanySubject(this.group, subject)) return { body, subject };
    const firstCompanys =
      typeof body === 'object' && body !== null && !('companyId' in body)
        ? { ...body, companyId: FIRST_COMPANY_ID }
        : body;
    return { body: firstCompanys, subject: eventSubject(subject, FIRST_COMPANY_ID) };
  }

  /** Moves the durable to today's filter once nothing is pending or in hand. */
  async finish(): Promise<void> {
    if (this.done) return;
    const jsm = await jetstreamManager(this.nats.connection);
    const info = await jsm.consumers.info(this.at.stream, this.at.durable);
    const current = info.config.filter_subject;
    if (current === this.filters.old || current === this.filters.drain) {
      if (info.num_pending > 0 || info.num_ack_pending > 0) return;
      await jsm.consumers.update(this.at.stream, this.at.durable, {
        filter_subject: this.filters.new,
      });
      this.logger.log(
        `Durable ${this.at.durable}: the single-company release's events are handled; ` +
          `filter ${current} -> ${this.filters.new}`,
      );
    }
    this.stop();
  }

  stop(): void {
    clearInterval(this.check);
    this.done = true;
  }
}
