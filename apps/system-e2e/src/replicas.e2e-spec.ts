import { waitFor } from '@talentsync/shared/testing';
import { FaultSystem, lmsMismatches, pick, seededRandom, sleep } from './fault-tools';
import { type Employee, type Hire, SIM_API_KEY } from './sync-fixtures';

// Issue 18, items 8 and 11: two replicas of each service; the orchestrator applying the
// initial run is SIGKILLed half-way while HR changes keep coming. The other replica takes the
// run over within seconds (its lease runs out, not a 2-minute staleness), pushes held by the
// dead replica move on within seconds too, and runs and pushes never undo each other: when
// the run and the pushes are done, BEFORE any later run, TalentLMS equals HR for everyone.

const PEOPLE = 300; // sized for a 2-core machine: the run takes ~10 s of signups
const SYNC_RUN_LEASE = '3s';
// People changed once, just after the resumed run planned (see below).
const HOT = 15;
const VICTIM = 'sync-orchestrator-victim';
const today = new Date().toISOString().slice(0, 10);

const person = (i: number): Hire => ({
  firstName: `Rep${i}`,
  lastName: `Last${i}`,
  email: `replica.${i}@people.example`,
  language: 'en',
  hireDate: today,
  attributes: { city: `City ${i % 7}` },
});

describe('two orchestrator replicas, one killed during the initial run while HR keeps changing', () => {
  let sut: FaultSystem;
  const orchestratorEnv = {
    NO_GUARD: process.env.NO_GUARD ?? '',
    SYNC_RUN_LEASE,
    SCHEDULER_TICK: '250ms',
    PUSH_ACK_WAIT: '3s',
    // a killed replica's claimed pushes go back to the queue when their lease runs out
    PUSH_LEASE: '3s',
  };

  beforeAll(async () => {
    sut = await FaultSystem.start({
      env: { 'sync-orchestrator': orchestratorEnv },
      limits: { perHour: null },
    });
    // A second replica of each service; the victim is the orchestrator the run starts on.
    await sut.system.startReplica('hr-service', 'hr-service-b');
    await sut.system.startReplica('lms-connector', 'lms-connector-b');
    await sut.system.startReplica('sync-orchestrator', VICTIM, orchestratorEnv);
    await sut.system.waitReady(['hr-service-b', 'lms-connector-b', VICTIM]);
  }, 120_000);

  afterAll(async () => {
    await sut?.stop();
  }, 60_000);

  it('takes the run over within seconds, and ends with TalentLMS equal to HR before any later run', async () => {
    const hired: Employee[] = [];
    for (let i = 0; i < PEOPLE; i += 20) {
      const batch = Array.from({ length: Math.min(20, PEOPLE - i) }, (_, k) => person(i + k));
      hired.push(...(await Promise.all(batch.map((p) => sut.hr.hire(p)))));
    }
    // Slow signups keep the run going long enough to be killed half-way.
    await sut.sim.setFaults({ latencyMs: { min: 150, max: 250 }, actions: ['usersignup'] });

    const victim = sut.orchestratorAt(VICTIM);
    const runId = await victim.activate({
      portalUrl: sut.portalUrl,
      apiKey: SIM_API_KEY,
      branch: 'all',
      direction: 'two-way',
      automaticSync: true,
    });

    // HR keeps changing last names while the run goes, pushed at once by whichever replica gets
    // the event. The people the run creates last (plan order: by name) are kept apart: each of
    // them changes once, just after the resumed run has planned from HR, so an instant push
    // creates some of them with the newer name before the run gets there with the older one.
    const byPlanOrder = [...hired].sort((a, b) =>
      `${a.firstName} ${a.lastName}`.localeCompare(`${b.firstName} ${b.lastName}`),
    );
    const createdLast = byPlanOrder.slice(-HOT);
    const others = byPlanOrder.slice(0, -HOT);
    const random = seededRandom(18);
    const updates: { id: string; version: number }[] = [];
    const change = async (who: Employee, lastName: string) => {
      const updated = await sut.hr.update(who.id, { lastName });
      updates.push({ id: updated.id, version: updated.version });
    };
    let changing = true;
    const changes = (async () => {
      for (let n = 1; changing; n += 1) {
        await change(pick(random, others), `Changed${n}`);
        await sleep(400);
      }
    })();

    const doneItems = async () =>
      Number(
        (
          await sut.orchestratorRows<{ n: string }>(
            `SELECT count(*) AS n FROM sync_run_items WHERE run_id = $1 AND status = 'done'`,
            [runId],
          )
        )[0]?.n ?? 0,
      );
    await waitFor('the run to be a quarter done', async () => (await doneItems()) >= PEOPLE / 4, {
      timeoutMs: 60_000,
      intervalMs: 100,
    });
    const [held] = await sut.orchestratorRows<{ owner: string | null }>(
      'SELECT owner FROM sync_runs WHERE id = $1',
      [runId],
    );
    expect(held.owner).not.toBeNull();
    await sut.kill(VICTIM);
    const killedAt = Date.now();
    const doneAtKill = await doneItems();
    const [{ seq: lastSeqAtKill }] = await sut.orchestratorRows<{ seq: string }>(
      'SELECT max(seq) AS seq FROM sync_run_items WHERE run_id = $1',
      [runId],
    );

    const takenOver = await waitFor(
      'the other replica to take the run over',
      async () => {
        const [row] = await sut.orchestratorRows<{ owner: string | null }>(
          'SELECT owner FROM sync_runs WHERE id = $1',
          [runId],
        );
        return row.owner !== null && row.owner !== held.owner ? Date.now() : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    // The resumed run has planned anew (its new items follow the old ones): now the change.
    await waitFor(
      'the resumed run to plan',
      async () => {
        const [row] = await sut.orchestratorRows<{ seq: string }>(
          'SELECT max(seq) AS seq FROM sync_run_items WHERE run_id = $1',
          [runId],
        );
        return Number(row.seq) > Number(lastSeqAtKill);
      },
      { timeoutMs: 60_000, intervalMs: 50 },
    );
    for (let i = 0; i < createdLast.length; i += 10)
      await Promise.all(
        createdLast.slice(i, i + 10).map((who) => change(who, `${who.lastName}-New`)),
      );
    const run = await sut.orchestrator.finished(runId, 120_000);
    changing = false;
    await changes;

    // Every change has its push outcome (the events the dead replica held included).
    await waitFor(
      'a push of every change',
      async () => {
        const pushed = new Set(
          (await sut.orchestrator.pushes()).map((p) => `${p.employeeId}@${p.version}`),
        );
        return updates.every((u) => pushed.has(`${u.id}@${u.version}`));
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    ).catch(async (error: Error) => {
      throw new Error(`${error.message}\n${await sut.stallReport()}`);
    });
    const pushesDoneAt = Date.now();
    await sut.sim.clearFaults();

    const pushes = await sut.orchestrator.pushes();
    const notWritten = run.items.filter((i) => (i.error ?? '').startsWith('not written')).length;
    process.stdout.write(
      `replicas: ${PEOPLE} people, killed at ${doneAtKill} items done, taken over ${takenOver - killedAt} ms after the kill, ` +
        `run ${run.status} ${Date.now() - killedAt} ms after it (${notWritten} items older than a push's, not written); ${updates.length} changes, ` +
        `pushes ${JSON.stringify(countBy(pushes.map((p) => p.status)))}, all pushed ${pushesDoneAt - killedAt} ms after the kill\n`,
    );

    expect(takenOver - killedAt).toBeLessThan(15_000);
    expect({ status: run.status, failed: run.items.filter((i) => i.status === 'failed') }).toEqual({
      status: 'succeeded',
      failed: [],
    });
    expect(pushes.filter((p) => p.status === 'failed')).toEqual([]);
    // No later run has repaired anything: what TalentLMS holds is what the run and pushes did.
    expect((await sut.orchestrator.runs()).total).toBe(1);
    const [employees, state, links] = await Promise.all([
      sut.hr.all(),
      sut.sim.state(),
      sut.links(),
    ]);
    // Two-way: the portal's owner came over to HR too.
    expect(employees.filter((e) => e.email.startsWith('replica.'))).toHaveLength(PEOPLE);
    expect(lmsMismatches(employees, state.users, links)).toEqual([]);
    expect(state.users.filter((u) => u.email.startsWith('replica.'))).toHaveLength(PEOPLE);
  }, 300_000);

  it('hands a run over on SIGTERM: who it created stays recorded as created, and nothing fails', async () => {
    // Automatic sync off: the run, not instant pushes, creates the newcomers.
    const settings = { portalUrl: sut.portalUrl, branch: 'all', direction: 'two-way' as const };
    expect(
      (await sut.orchestrator.saveSettings({ ...settings, automaticSync: false })).status,
    ).toBe(200);
    await sut.system.startReplica('sync-orchestrator', VICTIM, orchestratorEnv);
    await sut.system.waitReady([VICTIM]);
    const newcomers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => sut.hr.hire(person(1000 + i))),
    );
    // Signups of a second: the run is still going well after the stop begins.
    await sut.sim.setFaults({ latencyMs: 1_000, actions: ['usersignup'] });
    const runId = await sut.orchestratorAt(VICTIM).startSync();
    await waitFor(
      'the run to have created some',
      async () => {
        const [row] = await sut.orchestratorRows<{ n: string }>(
          `SELECT count(*) AS n FROM sync_run_items WHERE run_id = $1 AND status = 'done'`,
          [runId],
        );
        return Number(row.n) >= 15;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    const victimLogs = sut.system.get(VICTIM).logs;
    const stoppedAt = Date.now();
    expect(await sut.system.stop([VICTIM])).toEqual({ [VICTIM]: 0 });
    const run = await sut.orchestrator.finished(runId, 60_000);
    await sut.sim.clearFaults();
    process.stdout.write(
      `replicas: SIGTERM, run ${run.status} ${Date.parse(run.finishedAt ?? '') - stoppedAt} ms after the stop began\n`,
    );

    expect(run.status).toBe('succeeded');
    expect(victimLogs.some((line) => line.includes('handed over'))).toBe(true);
    const ids = new Set(newcomers.map((e) => e.id));
    const theirs = run.items.filter((i) => ids.has(i.employeeId ?? ''));
    expect(theirs.map((i) => `${i.action}/${i.status}`)).toEqual(
      newcomers.map(() => 'create-lms-user/done'),
    );
    expect(victimLogs.filter((line) => /Run \S+ failed|Driver not Connected/.test(line))).toEqual(
      [],
    );
  }, 180_000);
});

const countBy = (values: string[]): Record<string, number> =>
  values.reduce<Record<string, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {});
