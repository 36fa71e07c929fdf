import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  NotFoundError,
  SyncIntegrationAlertedEvent,
  SyncRunEvent,
  SyncRunStatus,
} from '@talentsync/contracts';
import { companyTransaction } from '@talentsync/shared/database';
import { deleteCompanyDeadLetters, UntrustedMessageError } from '@talentsync/shared/messaging';
import { alertIsDue } from './alert-rules';
import { alertEmailSubject } from './alert-email.template';
import { NotificationDispatcher } from './notification-dispatcher.service';
import { Notification } from './notification.entity';
import { ListNotificationsQuery, NotificationPage, NotificationView } from './notifications.dto';
import { runEmailSubject } from './run-email.template';
import { RunsClient } from './runs.client';

export type RecordOutcome = 'queued' | 'duplicate' | 'not-automatic';

/** What a run is once its `sync.run.completed|failed` is out: ended, or held by the safety brake. */
const REPORTED: readonly SyncRunStatus[] = ['succeeded', 'partial', 'failed', 'awaiting-approval'];

@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly dispatcher: NotificationDispatcher,
    private readonly runs: RunsClient,
  ) {}

  /**
   * Queues the e-mail for a company's finished run. Only automatic (scheduled) runs are
   * e-mailed (SPEC 6); other runs leave no row. The company and run id are the primary key, so
   * a re-published event, a redelivery or a second replica finds the row there and adds nothing.
   *
   * Anyone able to publish on the bus could forge the event, so the e-mail is written from
   * the run as sync-orchestrator holds it for the event's company, never from the event: a run
   * that company does not have, or one that is not an ended or held automatic run, is
   * dead-lettered (UntrustedMessageError).
   */
  async record(event: SyncRunEvent): Promise<RecordOutcome> {
    if (event.run.trigger !== 'scheduled') return 'not-automatic';
    const { companyId } = event;
    const run = await this.runs.get(companyId, event.run.id);
    if (!run || run.trigger !== 'scheduled' || !REPORTED.includes(run.status)) {
      throw new UntrustedMessageError(
        `${event.type} ${event.eventId}: run ${event.run.id} is ${run ? `a ${run.trigger} run, ${run.status}` : 'unknown'} in sync-orchestrator for company ${companyId}`,
      );
    }
    const inserted: unknown[] = await companyTransaction(this.dataSource, companyId, (m) =>
      m.query(
        `INSERT INTO notifications (company_id, run_id, event_id, event_type, run, subject)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (company_id, run_id) DO NOTHING
         RETURNING run_id`,
        [companyId, run.id, event.eventId, event.type, JSON.stringify(run), runEmailSubject(run)],
      ),
    );
    if (inserted.length === 0) {
      this.logger.debug(
        `Company ${companyId} run ${run.id} already has its e-mail; event ${event.eventId} ignored`,
      );
      return 'duplicate';
    }
    this.logger.log(`Company ${companyId} run ${run.id} (${run.status}): e-mail queued`);
    this.dispatcher.kick();
    return 'queued';
  }

  /**
   * Queues the owner's e-mail for a company's alert (its integration paused, or its scheduled
   * runs keep failing), unless one of the same kind was queued for that company in the last
   * day (`alertIsDue`). Checked and inserted under a per-company transaction lock, so two
   * replicas never both queue one. As with runs, the run is read from sync-orchestrator: an
   * alert about a run the company does not have, or one that did not fail, is forged or wrong
   * and is dead-lettered.
   */
  async recordAlert(event: SyncIntegrationAlertedEvent): Promise<RecordOutcome | 'too-soon'> {
    const { alert, companyId } = event;
    const run = await this.runs.get(companyId, alert.runId);
    if (!run || run.status !== 'failed') {
      throw new UntrustedMessageError(
        `${event.type} ${event.eventId}: run ${alert.runId} is ${run ? run.status : 'unknown'} in sync-orchestrator for company ${companyId}`,
      );
    }
    const outcome = await companyTransaction(this.dataSource, companyId, async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('notifier:owner-alerts:' || $1))`, [
        companyId,
      ]);
      const [{ last, now }]: { last: Date | null; now: Date }[] = await m.query(
        `SELECT max(created_at) AS last, now() AS now FROM notifications
         WHERE company_id = $1 AND alert IS NOT NULL AND alert->>'kind' = $2`,
        [companyId, alert.kind],
      );
      if (!alertIsDue(last, now)) return 'too-soon' as const;
      const inserted: unknown[] = await m.query(
        `INSERT INTO notifications (company_id, run_id, event_id, event_type, run, alert, subject)
         VALUES ($1, $2, $2, $3, $4, $5, $6)
         ON CONFLICT (company_id, run_id) DO NOTHING
         RETURNING run_id`,
        [
          companyId,
          event.eventId,
          event.type,
          JSON.stringify(run),
          JSON.stringify(alert),
          alertEmailSubject(alert),
        ],
      );
      return inserted.length === 0 ? ('duplicate' as const) : ('queued' as const);
    });
    const about = `Company ${companyId} owner alert (${alert.kind}) about run ${run.id}`;
    if (outcome === 'queued') {
      this.logger.log(`${about}: e-mail queued`);
      this.dispatcher.kick();
    } else if (outcome === 'too-soon') {
      this.logger.log(`${about}: one went out within a day`);
    }
    return outcome;
  }

  /** One company's notification log, newest first. */
  async list(companyId: string, query: ListNotificationsQuery): Promise<NotificationPage> {
    const [rows, total] = await companyTransaction(this.dataSource, companyId, (m) =>
      m.getRepository(Notification).findAndCount({
        where: { companyId, ...(query.status ? { status: query.status } : {}) },
        order: { createdAt: 'DESC', runId: 'ASC' },
        skip: (query.page - 1) * query.pageSize,
        take: query.pageSize,
      }),
    );
    return {
      items: rows.map(NotificationView.of),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async get(companyId: string, runId: string): Promise<NotificationView> {
    const row = await companyTransaction(this.dataSource, companyId, (m) =>
      m.getRepository(Notification).findOneBy({ companyId, runId }),
    );
    if (!row) throw new NotFoundError('Notification for run', runId);
    return NotificationView.of(row);
  }

  /**
   * `company.purged`: every row of the company goes, at once, its dead letters too. Idempotent
   * (a redelivery deletes nothing more). A late event about one of its runs finds no run in
   * sync-orchestrator any more and is dead-lettered, under no company (untrusted); an e-mail in
   * hand finds no row to mark.
   */
  async purge(companyId: string): Promise<number> {
    const { deleted, deadLetters } = await companyTransaction(
      this.dataSource,
      companyId,
      async (m) => {
        const [, deleted] = (await m.query(`DELETE FROM notifications WHERE company_id = $1`, [
          companyId,
        ])) as [unknown[], number];
        return { deleted, deadLetters: await deleteCompanyDeadLetters(m, companyId) };
      },
    );
    this.logger.log(
      `Company ${companyId} purged: ${deleted} notification(s) and ${deadLetters} dead letter(s) deleted`,
    );
    return deleted;
  }
}
