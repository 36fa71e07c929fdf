import { Equals } from 'class-validator';
import { IntegrationEvent } from '../lib/events';

/** `sync.integration.alerted` */
export class SyncIntegrationAlertedEvent extends IntegrationEvent {
  @Equals('sync.integration.alerted')
  override type: 'sync.integration.alerted';
}
