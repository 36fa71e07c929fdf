import { createTransport, Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { AppError } from '@talentsync/contracts';
import { nodemailerMessage } from './nodemailer-message';
import { MailErrorCodes, MailTransport, OutgoingMail, SentMail } from './mail-transport.port';
import { describeSmtp, SmtpSettings } from './smtp-url';

/** Connection-level failures: the server may well answer later. */
const TRANSIENT_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EPROTOCOL',
]);

interface NodemailerError {
  code?: string;
  responseCode?: number;
  message: string;
}

/**
 * Whether trying again can help: 4xx replies and connection trouble yes; 5xx replies (bad
 * credentials, refused recipients) and a bad envelope no.
 */
export function toMailError(error: unknown): AppError {
  const { code, responseCode, message } = error as NodemailerError;
  const retryable =
    responseCode !== undefined
      ? responseCode < 500
      : code === undefined || TRANSIENT_CODES.has(code);
  return new AppError(
    retryable ? MailErrorCodes.unavailable : MailErrorCodes.rejected,
    `SMTP ${[code, responseCode].filter(Boolean).join(' ') || 'error'}: ${message}`,
    { retryable, cause: error },
  );
}

// Short timeouts: an SMTP exchange takes well under a second, and a shutdown waits for it.
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

/** Sends through the SMTP server of SMTP_URL, one connection per message. */
export class SmtpMailClient extends MailTransport {
  readonly target: string;
  private readonly transporter: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(settings: SmtpSettings) {
    super();
    this.target = describeSmtp(settings);
    this.transporter = createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      requireTLS: settings.requireTls,
      auth: settings.auth,
      ...TIMEOUTS,
    });
  }

  async send(mail: OutgoingMail): Promise<SentMail> {
    try {
      const info = await this.transporter.sendMail(nodemailerMessage(mail));
      return {
        messageId: info.messageId,
        refused: (info.rejected ?? []).map((address) =>
          typeof address === 'string' ? address : address.address,
        ),
      };
    } catch (error) {
      throw toMailError(error);
    }
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}
