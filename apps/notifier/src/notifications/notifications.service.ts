import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import {
  NotFoundError,
  SyncIntegrationAlertedEvent,
  SyncRunEvent,
  SyncRunStatus,
} from '@talentsync/contracts';
import { alertIsDue } from './alert-rules';
import { alertEmailSubject } from './alert-email.template';
import { UntrustedMessageError } from '@talentsync/shared/messaging';
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
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    private readonly dispatcher: NotificationDispatcher,
    private readonly runs: RunsClient,
  ) {}

  /**
   * Queues the e-mail for a finished run. Only automatic (scheduled) runs are e-mailed (SPEC
   * 6); other runs leave no row. The run id is the primary key, so a re-published event, a
   * redelivery or a second replica finds the row there and adds nothing.
   *
   * Anyone able to publish on the bus could forge the event, so the e-mail is written from
   * the run as sync-orchestrator holds it, never from the event: a run it does not have, or
   * one that is not an ended or held automatic run, is dead-lettered (UntrustedMessageError).
   */
  async record(event: SyncRunEvent): Promise<RecordOutcome> {
    if (event.run.trigger !== 'scheduled') return 'not-automatic';
    const run = await this.runs.get(event.run.id);
    if (!run || run.trigger !== 'scheduled' || !REPORTED.includes(run.status)) {
      throw new UntrustedMessageError(
        `${event.type} ${event.eventId}: run ${event.run.id} is ${run ? `a ${run.trigger} run, ${run.status}` : 'unknown'} in sync-orchestrator`,
      );
    }
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO notifications (run_id, event_id, event_type, run, subject)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (run_id) DO NOTHING
       RETURNING run_id`,
      [run.id, event.eventId, event.type, JSON.stringify(run), runEmailSubject(run)],
    );
    if (inserted.length === 0) {
      this.logger.debug(`Run ${run.id} already has its e-mail; event ${event.eventId} ignored`);
      return 'duplicate';
    }
    this.logger.log(`Run ${run.id} (${run.status}): e-mail queued`);
    this.dispatcher.kick();
    return 'queued';
  }

  /**
   * Queues the owner's e-mail for an alert (the integration paused, or scheduled runs keep
   * failing), unless one of the same kind was queued in the last day (`alertIsDue`). Checked
   * and inserted under a transaction lock, so two replicas never both queue one. As with runs,
   * the run is read from sync-orchestrator: an alert about a run it does not have, or one
   * that did not fail, is forged or wrong and is dead-lettered.
   */
  async recordAlert(event: SyncIntegrationAlertedEvent): Promise<RecordOutcome | 'too-soon'> {
    const { alert } = event;
    const run = await this.runs.get(alert.runId);
    if (!run || run.status !== 'failed') {
      throw new UntrustedMessageError(
        `${event.type} ${event.eventId}: run ${alert.runId} is ${run ? run.status : 'unknown'} in sync-orchestrator`,
      );
    }
    const outcome = await this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('notifier:owner-alerts'))`);
      const [{ last, now }]: { last: Date | null; now: Date }[] = await m.query(
        `SELECT max(created_at) AS last, now() AS now FROM notifications
         WHERE alert IS NOT NULL AND alert->>'kind' = $1`,
        [alert.kind],
      );
      if (!alertIsDue(last, now)) return 'too-soon' as const;
      const inserted: unknown[] = await m.query(
        `INSERT INTO notifications (run_id, event_id, event_type, run, alert, subject)
         VALUES ($1, $1, $2, $3, $4, $5)
         ON CONFLICT (run_id) DO NOTHING
         RETURNING run_id`,
        [
          event.eventId,
          event.type,
          JSON.stringify(run),
          JSON.stringify(alert),
          alertEmailSubject(alert),
        ],
      );
      return inserted.length === 0 ? ('duplicate' as const) : ('queued' as const);
    });
    if (outcome === 'queued') {
      this.logger.log(`Owner alert (${alert.kind}) about run ${run.id}: e-mail queued`);
      this.dispatcher.kick();
    } else if (outcome === 'too-soon') {
      this.logger.log(`Owner alert (${alert.kind}) about run ${run.id}: one went out within a day`);
    }
    return outcome;
  }

  async list(query: ListNotificationsQuery): Promise<NotificationPage> {
    const [rows, total] = await this.notifications.findAndCount({
      where: query.status ? { status: query.status } : {},
      order: { createdAt: 'DESC', runId: 'ASC' },
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    });
    return {
      items: rows.map(NotificationView.of),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async get(runId: string): Promise<NotificationView> {
    const row = await this.notifications.findOneBy({ runId });
    if (!row) throw new NotFoundError('Notification for run', runId);
    return NotificationView.of(row);
  }
}
