/** One e-mail, ready to go. */
export interface OutgoingMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Stable per run, so a mail system can recognise a resend as the same message. */
  messageId: string;
  date: Date;
  /** A file-system-safe name for the message (used by the .eml driver). */
  fileName: string;
}

export interface SentMail {
  messageId: string;
  /** Recipients the server refused while accepting the message for the others. */
  refused: string[];
}

/**
 * Where e-mails go: an SMTP server (SMTP_URL) or .eml files (MAIL_DIR). Failures are AppErrors
 * whose `retryable` says whether trying the same message again later can help.
 */
export abstract class MailTransport {
  /** Where mail goes, without credentials, for logs. */
  abstract readonly target: string;
  abstract send(mail: OutgoingMail): Promise<SentMail>;
  abstract close(): Promise<void>;
}

export const MailErrorCodes = {
  /** The server (or the file system) cannot take mail now: try again later. */
  unavailable: 'MAIL_UNAVAILABLE',
  /** The server refused this message or its recipients for good. */
  rejected: 'MAIL_REJECTED',
} as const;
