import { Equals } from 'class-validator';
import { SyncRunEvent } from '../lib/events';

/** `sync.run.started` */
export class SyncRunStartedEvent extends SyncRunEvent {
  @Equals('sync.run.started')
  override type: 'sync.run.started';
}
