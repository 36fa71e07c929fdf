import 'reflect-metadata';
import { runService } from '@talentsync/shared/http';
import { AppModule, SERVICE_NAME } from './app.module';
import { NotifierEnv } from './config/notify.env';

void runService({
  name: SERVICE_NAME,
  envClass: NotifierEnv,
  module: (env) => AppModule.forRoot(env),
  openApi: { title: 'TalentSync notifier', description: 'E-mails about automatic sync runs' },
});
