import type Mail from 'nodemailer/lib/mailer';
import type { OutgoingMail } from './mail-transport.port';

/** The same message for both drivers, SMTP and .eml files. */
export function nodemailerMessage(mail: OutgoingMail): Mail.Options {
  return {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    date: mail.date,
  };
}
