import { BaseEnv, DatabaseEnv, HttpEnv, NatsEnv } from '@talentsync/shared/config';

/** notifier settings; see the env table in apps/notifier/README.md. */
export class NotifierEnv extends DatabaseEnv(NatsEnv(HttpEnv(BaseEnv, 3004)), 'notify') {}
