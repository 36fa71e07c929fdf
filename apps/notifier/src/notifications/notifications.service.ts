import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { NotFoundError, SyncRunEvent } from '@talentsync/contracts';
import { NotificationDispatcher } from './notification-dispatcher.service';
import { Notification } from './notification.entity';
import { ListNotificationsQuery, NotificationPage, NotificationView } from './notifications.dto';
import { runEmailSubject } from './run-email.template';

export type RecordOutcome = 'queued' | 'duplicate' | 'not-automatic';

@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    private readonly dispatcher: NotificationDispatcher,
  ) {}

  /**
   * Queues the e-mail for a finished run. Only automatic (scheduled) runs are e-mailed (SPEC
   * 6); other runs leave no row. The run id is the primary key, so a re-published event, a
   * redelivery or a second replica finds the row there and adds nothing.
   */
  async record(event: SyncRunEvent): Promise<RecordOutcome> {
    const { run } = event;
    if (run.trigger !== 'scheduled') return 'not-automatic';
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
