import type { EntityManager } from 'typeorm';
import type { PlanItem } from '@talentsync/sync-rules';
import { PushRecorder } from './push-recorder';

const write = { action: 'update-lms-user', employeeId: 'e1', lmsUserId: 'u1' } as PlanItem;
const manager = {} as EntityManager;

// `recorded` is read once the apply resolved: true only when the transaction that recorded the
// outcome is the one the applier kept. A rolled-back attempt's doneIn (its COMMIT lost, the
// write tried again) must not leave it set when the write ended otherwise.
describe(PushRecorder.name, () => {
  it('is recorded when the write committed with its outcome', async () => {
    const recordIn = jest.fn(async () => undefined);
    const recorder = new PushRecorder(recordIn);

    await recorder.doneIn(write, {}, manager);

    expect(recorder.recorded).toBe(true);
    expect(recordIn).toHaveBeenCalledWith(manager, write);
    expect(recorder.applied).toEqual([write]);
  });

  it('is not recorded when the write was then done apart (a newer version crossed it)', async () => {
    const recorder = new PushRecorder(async () => undefined);

    await recorder.doneIn(write, {}, manager); // rolled back: its COMMIT was lost
    await recorder.done(write, {});

    expect(recorder.recorded).toBe(false);
    expect(recorder.applied).toEqual([write]);
  });

  it('is not recorded when the write tried again was skipped by the version guard', async () => {
    const recorder = new PushRecorder(async () => undefined);

    await recorder.doneIn(write, {}, manager); // rolled back: its COMMIT was lost
    await recorder.skipped(write, 'not written: version 3 was written already');

    expect(recorder.recorded).toBe(false);
    expect(recorder.skips).toEqual(['not written: version 3 was written already']);
  });

  it('records nothing in the write without recordIn (several writes)', async () => {
    const recorder = new PushRecorder();

    await recorder.doneIn(write, {}, manager);

    expect(recorder.recorded).toBe(false);
    expect(recorder.applied).toEqual([write]);
  });
});
