import { Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { resolve } from 'node:path';
import { NotifierEnv } from '../config/notify.env';
import { EmlFileMailClient } from './eml-file-mail.client';
import { MailTransport } from './mail-transport.port';
import { SmtpMailClient } from './smtp-mail.client';

@Module({
  providers: [
    {
      provide: MailTransport,
      inject: [NotifierEnv],
      useFactory: (env: NotifierEnv): MailTransport => {
        const smtp = env.smtp;
        const transport = smtp
          ? new SmtpMailClient(smtp)
          : new EmlFileMailClient(resolve(env.MAIL_DIR));
        const logger = new Logger(MailModule.name);
        logger.log(`E-mails go to ${transport.target}`);
        if (!smtp && env.isProduction) {
          logger.warn(
            'SMTP_URL is not set: e-mails are only written to files, nobody receives them',
          );
        }
        return transport;
      },
    },
  ],
  exports: [MailTransport],
})
export class MailModule implements OnApplicationShutdown {
  constructor(private readonly transport: MailTransport) {}

  async onApplicationShutdown(): Promise<void> {
    await this.transport.close();
  }
}
