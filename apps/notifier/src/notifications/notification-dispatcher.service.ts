import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  describeError,
  isRetryable,
  type IntegrationAlertPayload,
  type SyncRunEventPayload,
} from '@talentsync/contracts';
import { acrossCompanies, companyTransaction } from '@talentsync/shared/database';
import { backoff, PollingWorker, processCounter, sleep } from '@talentsync/shared/messaging';
import { CompanyClient } from '../company/company.client';
import { NotifierEnv } from '../config/notify.env';
import { MailTransport, OutgoingMail, SentMail } from '../mail/mail-transport.port';
import { renderAlertEmail } from './alert-email.template';
import { renderRunEmail } from './run-email.template';

/** A claimed row lets no other replica start it for this long (hr-service + SMTP take seconds). */
const CLAIM_SECONDS = 120;
/**
 * A row still `sending` this long after it was handed to the transport belongs to a notifier
 * that died mid-exchange (the transport's own timeouts are far shorter).
 */
const STALE_SENDING_SECONDS = 300;
const INTERRUPTED =
  'Interrupted while handing the e-mail to the mail server: it may or may not have left, ' +
  'so it is not sent again (at most one e-mail per run)';

interface Claim {
  companyId: string;
  runId: string;
  attempts: number;
  run: SyncRunEventPayload;
  /** Set on an owner's alert: rendered as what to fix, not as a run summary. */
  alert: IntegrationAlertPayload | null;
}

/** How long recording a sent e-mail waits between its tries (the row must not read "interrupted"). */
const RECORD_SENT_BACKOFF = { baseMs: 500, maxMs: 10_000 };

/** Error text fit for logs: e-mail addresses (personal data) left out. */
export function withoutAddresses(text: string): string {
  return text.replace(/[^\s<>@"',;:()]+@[^\s<>@"',;:()]+/g, '[address]');
}

/** UPDATE ... RETURNING through TypeORM answers [rows, count]. */
async function update<T>(manager: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const [rows] = (await manager.query(sql, params)) as [T[], number];
  return rows;
}

/**
 * The delivery loop, one for every company. Each pass claims one due e-mail of any company
 * (FOR UPDATE SKIP LOCKED, so replicas never take the same row; the oldest due first, so no
 * company waits behind another's failing server), asks hr-service for that company's
 * recipients, renders, marks the row
 * `sending`, hands it to the mail transport and marks it `sent`. A failure before the
 * transport took the message is retried with backoff up to NOTIFY_MAX_ATTEMPTS; a permanent
 * one (refused by the server, no recipients) fails at once.
 *
 * The one window where the outcome is unknown is the transport call itself: a notifier that
 * dies there leaves the row `sending`. Such rows are marked failed, not retried, because the
 * contract is at most one e-mail per run; the log says why. Every update after the claim is
 * fenced by the attempt number, so a replica whose claim ran out cannot overwrite a newer one.
 * Only the scans cross companies (`acrossCompanies`); each row is updated in its company's
 * transaction.
 */
@Injectable()
export class NotificationDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(NotificationDispatcher.name);
  private readonly sent = processCounter('notificationsSent', 'E-mails handed to the mail server');
  private readonly failed = processCounter(
    'notificationsFailed',
    'E-mails given up on (out of attempts, refused, or interrupted)',
  );
  private readonly attemptFailures = processCounter(
    'notificationAttemptFailures',
    'Delivery attempts that failed and may be retried',
  );
  private readonly worker: PollingWorker;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mail: MailTransport,
    private readonly company: CompanyClient,
    private readonly env: NotifierEnv,
  ) {
    this.worker = new PollingWorker({
      idleMs: env.pollIntervalMs,
      pass: async () => {
        await this.failInterrupted();
        return this.deliverNext();
      },
      onError: (error) =>
        this.logger.warn(`Delivery pass failed: ${withoutAddresses(describeError(error))}`),
    });
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  /** Look for due e-mails now (a new one was queued). */
  kick(): void {
    this.worker.kick();
  }

  /** Stops the loop; the e-mail in hand is finished first. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.stop();
  }

  /** Updates one claimed row, in its company's transaction; the rows it changed. */
  private inCompany<T>(claim: Claim, sql: string, params: unknown[]): Promise<T[]> {
    return companyTransaction(this.dataSource, claim.companyId, (m) =>
      update<T>(m, sql, [claim.companyId, claim.runId, ...params]),
    );
  }

  /** Rows left `sending` by a notifier that stopped mid-exchange become failed. */
  async failInterrupted(): Promise<void> {
    const stale: { company_id: string; run_id: string }[] = await acrossCompanies(
      this.dataSource,
      'e-mails interrupted mid-exchange, in every company',
      (m) =>
        m.query(
          `SELECT company_id, run_id FROM notifications
           WHERE status = 'sending' AND sending_at < now() - make_interval(secs => $1)`,
          [STALE_SENDING_SECONDS],
        ),
    );
    for (const { company_id: companyId, run_id: runId } of stale) {
      const [failed] = await companyTransaction(this.dataSource, companyId, (m) =>
        update(
          m,
          `UPDATE notifications
           SET status = 'failed', last_error = $3, updated_at = now()
           WHERE company_id = $1 AND run_id = $2
             AND status = 'sending' AND sending_at < now() - make_interval(secs => $4)
           RETURNING run_id`,
          [companyId, runId, INTERRUPTED, STALE_SENDING_SECONDS],
        ),
      );
      if (!failed) continue;
      this.failed.inc();
      this.logger.error(`E-mail for company ${companyId} run ${runId}: ${INTERRUPTED}`);
    }
  }

  /** Delivers one due e-mail of any company; resolves false when none was due. */
  async deliverNext(): Promise<boolean> {
    const [claim] = await acrossCompanies(
      this.dataSource,
      'claim the next due e-mail of any company',
      (m) =>
        update<{
          company_id: string;
          run_id: string;
          attempts: number;
          run: SyncRunEventPayload;
          alert: IntegrationAlertPayload | null;
        }>(
          m,
          `UPDATE notifications
           SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $1),
               updated_at = now()
           WHERE (company_id, run_id) = (
             SELECT company_id, run_id FROM notifications
             WHERE status = 'pending' AND next_attempt_at <= now()
             ORDER BY next_attempt_at
             LIMIT 1
             FOR UPDATE SKIP LOCKED)
           RETURNING company_id, run_id, attempts, run, alert`,
          [CLAIM_SECONDS],
        ),
    );
    if (!claim) return false;
    await this.deliver({
      companyId: claim.company_id,
      runId: claim.run_id,
      attempts: claim.attempts,
      run: claim.run,
      alert: claim.alert,
    });
    return true;
  }

  private async deliver(claim: Claim): Promise<void> {
    let sent: SentMail;
    try {
      const mail = await this.compose(claim);
      const [handed] = await this.inCompany(
        claim,
        `UPDATE notifications
         SET status = 'sending', sending_at = now(), recipients = $4, subject = $5,
             updated_at = now()
         WHERE company_id = $1 AND run_id = $2 AND attempts = $3 AND status = 'pending'
         RETURNING run_id`,
        [claim.attempts, mail.to, mail.subject],
      );
      if (!handed) return; // our claim ran out and another replica has it now
      sent = await this.mail.send(mail);
    } catch (error) {
      await this.recordFailure(claim, error);
      return;
    }
    await this.recordSent(claim, sent);
  }

  private async compose(claim: Claim): Promise<OutgoingMail> {
    const contacts = await this.company.contacts(claim.companyId, claim.runId);
    const context = {
      companyName: contacts.name,
      runsBaseUrl: this.env.runsBaseUrlOf(claim.companyId),
    };
    const email = claim.alert
      ? renderAlertEmail(claim.alert, claim.run, context)
      : renderRunEmail(claim.run, context);
    const kind = claim.alert ? 'alert' : 'run';
    const domain = /@([^>\s]+)>?\s*$/.exec(this.env.MAIL_FROM)?.[1] ?? 'talentsync.local';
    return {
      from: this.env.MAIL_FROM,
      to: contacts.recipients,
      ...email,
      messageId: `<${kind}-${claim.runId}@${domain}>`,
      date: new Date(),
      fileName: `${(claim.run.finishedAt ?? claim.run.startedAt).replace(/[^0-9]/g, '').slice(0, 14)}-${kind}-${claim.runId}`,
    };
  }

  private async recordFailure(claim: Claim, error: unknown): Promise<void> {
    const reason = describeError(error);
    const gaveUp = !isRetryable(error) || claim.attempts >= this.env.NOTIFY_MAX_ATTEMPTS;
    const delay = backoff(claim.attempts, {
      baseMs: this.env.retryDelayMs,
      maxMs: this.env.retryMaxDelayMs,
    });
    const lastError =
      gaveUp && isRetryable(error) ? `Gave up after ${claim.attempts} attempts: ${reason}` : reason;
    await this.inCompany(
      claim,
      `UPDATE notifications
       SET status = $4, last_error = $5, sending_at = NULL,
           next_attempt_at = now() + make_interval(secs => $6), updated_at = now()
       WHERE company_id = $1 AND run_id = $2 AND attempts = $3 AND status IN ('pending', 'sending')
       RETURNING run_id`,
      [claim.attempts, gaveUp ? 'failed' : 'pending', lastError, delay / 1000],
    );
    const logged = withoutAddresses(reason);
    if (gaveUp) {
      this.failed.inc();
      this.logger.error(
        `E-mail for company ${claim.companyId} run ${claim.runId} failed for good: ${withoutAddresses(lastError)}`,
      );
    } else {
      this.attemptFailures.inc();
      this.logger.warn(
        `E-mail for company ${claim.companyId} run ${claim.runId}: attempt ${claim.attempts} failed (${logged}); retrying in ${delay} ms`,
      );
    }
  }

  /** The message has left: keep trying to say so, or the row would later read "interrupted". */
  private async recordSent(claim: Claim, sent: SentMail): Promise<void> {
    const note =
      sent.refused.length > 0 ? `The mail server refused: ${sent.refused.join(', ')}` : null;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.inCompany(
          claim,
          `UPDATE notifications
           SET status = 'sent', sent_at = now(), message_id = $4, last_error = $5,
               updated_at = now()
           WHERE company_id = $1 AND run_id = $2 AND attempts = $3
           RETURNING run_id`,
          [claim.attempts, sent.messageId, note],
        );
        this.sent.inc();
        this.logger.log(
          `E-mail for company ${claim.companyId} run ${claim.runId} sent (attempt ${claim.attempts})`,
        );
        return;
      } catch (error) {
        if (this.worker.isStopped && attempt >= 3) {
          this.logger.error(
            `E-mail for company ${claim.companyId} run ${claim.runId} was sent but could not be recorded: ${describeError(error)}`,
          );
          return;
        }
        await sleep(backoff(attempt, RECORD_SENT_BACKOFF));
      }
    }
  }
}
