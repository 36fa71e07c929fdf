import { MAX_TRAINING_EMPLOYEES } from '@talentsync/contracts';
import type { StoreTrainingItem } from '@talentsync/sync-rules';

/** hr.training.store's limits: people per request, and bytes (NATS holds 1 MB a message). */
export const TRAINING_BATCH_PEOPLE = MAX_TRAINING_EMPLOYEES;
export const TRAINING_BATCH_BYTES = 256 * 1024;

/** Store-training items in batches hr-service takes in one request. */
export function trainingBatches(items: StoreTrainingItem[]): StoreTrainingItem[][] {
  const batches: StoreTrainingItem[][] = [];
  let batch: StoreTrainingItem[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = JSON.stringify(item.payload.records).length;
    if (
      batch.length > 0 &&
      (batch.length >= TRAINING_BATCH_PEOPLE || bytes + size > TRAINING_BATCH_BYTES)
    ) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(item);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
