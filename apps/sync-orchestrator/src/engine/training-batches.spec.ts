import type { StoreTrainingItem } from '@talentsync/sync-rules';
import { TRAINING_BATCH_BYTES, TRAINING_BATCH_PEOPLE, trainingBatches } from './training-batches';

const record = (courseId: string, note = '') => ({
  courseId,
  courseName: `Course ${courseId}${note}`,
  enrolledAt: '2026-01-05T09:00:00.000Z',
  completionStatus: 'in-progress',
  completionPercentage: 40,
  completedAt: null,
  totalTimeSeconds: 600,
});
const pairOf = (n: number, records = [record('1')]): StoreTrainingItem => ({
  action: 'store-training',
  side: 'hr',
  employeeId: `e${n}`,
  lmsUserId: `u${n}`,
  person: `Person ${n}`,
  reason: 'training from TalentLMS',
  changes: [],
  payload: { records },
});
const numberOf = (item: StoreTrainingItem) => Number(item.lmsUserId.slice(1));

describe(trainingBatches.name, () => {
  it('keeps every item once, in order, at most TRAINING_BATCH_PEOPLE a batch', () => {
    const pairs = Array.from({ length: 2 * TRAINING_BATCH_PEOPLE + 7 }, (_, n) => pairOf(n));
    const batches = trainingBatches(pairs);
    expect(batches.map((b) => b.length)).toEqual([TRAINING_BATCH_PEOPLE, TRAINING_BATCH_PEOPLE, 7]);
    expect(batches.flat().map(numberOf)).toEqual(pairs.map(numberOf));
  });

  it('starts a new batch before the records would pass TRAINING_BATCH_BYTES', () => {
    // ~100 KB of records a person: two fit, the third starts the next batch.
    const heavy = Array.from({ length: 400 }, (_, c) => record(String(c), 'x'.repeat(40)));
    const size = JSON.stringify(heavy).length;
    expect(size * 2).toBeLessThanOrEqual(TRAINING_BATCH_BYTES);
    expect(size * 3).toBeGreaterThan(TRAINING_BATCH_BYTES);
    const batches = trainingBatches([1, 2, 3, 4, 5].map((n) => pairOf(n, heavy)));
    expect(batches.map((b) => b.map(numberOf))).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('gives one that alone passes the limit a batch of its own, and nothing for nothing', () => {
    const huge = Array.from({ length: 3000 }, (_, c) => record(String(c)));
    const batches = trainingBatches([pairOf(1), pairOf(2, huge), pairOf(3)]);
    expect(batches.map((b) => b.map(numberOf))).toEqual([[1], [2], [3]]);
    expect(trainingBatches([])).toEqual([]);
  });
});
