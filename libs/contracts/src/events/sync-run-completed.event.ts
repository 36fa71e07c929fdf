import { Equals } from 'class-validator';
import { SyncRunEvent } from '../lib/events';

/** `sync.run.completed` */
export class SyncRunCompletedEvent extends SyncRunEvent {
  @Equals('sync.run.completed')
  override type: 'sync.run.completed';
}
