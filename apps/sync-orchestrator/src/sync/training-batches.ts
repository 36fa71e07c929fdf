import { MAX_TRAINING_EMPLOYEES } from '@talentsync/contracts';
import type { PlanItem, TrainingPayload } from '@talentsync/sync-rules';

/** hr.training.store's limits: people per request, and bytes (NATS holds 1 MB a message). */
export const TRAINING_BATCH_PEOPLE = MAX_TRAINING_EMPLOYEES;
export const TRAINING_BATCH_BYTES = 256 * 1024;

/** Store-training items in batches hr-service takes in one request. */
export function trainingBatches<T extends { item: PlanItem }>(pairs: T[]): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let bytes = 0;
  for (const pair of pairs) {
    const size = JSON.stringify(
      (pair.item.payload as TrainingPayload | undefined)?.records ?? [],
    ).length;
    if (
      batch.length > 0 &&
      (batch.length >= TRAINING_BATCH_PEOPLE || bytes + size > TRAINING_BATCH_BYTES)
    ) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(pair);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
