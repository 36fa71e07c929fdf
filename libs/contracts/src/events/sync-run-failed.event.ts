import { Equals } from 'class-validator';
import { SyncRunEvent } from '../lib/events';

/** `sync.run.failed` */
export class SyncRunFailedEvent extends SyncRunEvent {
  @Equals('sync.run.failed')
  override type: 'sync.run.failed';
}
