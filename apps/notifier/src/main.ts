// First: tracing, when on, patches modules as they load (see instrument.ts).
import { stopTelemetry } from './instrument';
import 'reflect-metadata';
import { runService } from '@talentsync/shared/http';
import { AppModule, SERVICE_NAME } from './app.module';
import { NotifierEnv } from './config/notify.env';

void runService({
  name: SERVICE_NAME,
  envClass: NotifierEnv,
  module: (env) => AppModule.forRoot(env),
  stopTelemetry,
  openApi: { title: 'TalentSync notifier', description: 'E-mails about automatic sync runs' },
});
