import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport, Transporter } from 'nodemailer';
import type StreamTransport from 'nodemailer/lib/stream-transport';
import { AppError } from '@talentsync/contracts';
import { nodemailerMessage } from './nodemailer-message';
import { MailErrorCodes, MailTransport, OutgoingMail, SentMail } from './mail-transport.port';

/**
 * Without SMTP_URL: each e-mail becomes an RFC 822 `.eml` file in MAIL_DIR, so a local system
 * works out of the box and mail can be opened in any mail client. The file name is fixed per
 * message and written via a rename, so a resend replaces the file instead of adding one.
 */
export class EmlFileMailClient extends MailTransport {
  readonly target: string;
  private readonly composer: Transporter<StreamTransport.SentMessageInfo>;

  constructor(private readonly dir: string) {
    super();
    this.target = `.eml files in ${dir}`;
    this.composer = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  }

  async send(mail: OutgoingMail): Promise<SentMail> {
    const info = await this.composer.sendMail(nodemailerMessage(mail));
    const path = join(this.dir, `${mail.fileName}.eml`);
    try {
      await mkdir(this.dir, { recursive: true });
      await writeFile(`${path}.tmp`, info.message as Buffer);
      await rename(`${path}.tmp`, path);
    } catch (error) {
      throw new AppError(
        MailErrorCodes.unavailable,
        `Cannot write ${path}: ${(error as Error).message}`,
        { retryable: true, cause: error },
      );
    }
    return { messageId: info.messageId, refused: [] };
  }

  async close(): Promise<void> {
    // Nothing held open.
  }
}
