import { randomUUID } from 'node:crypto';
import { Metrics } from '@talentsync/contracts';
import { startTestService, type TestService } from '@talentsync/shared/service-testing';
import type { PlanItem } from '@talentsync/sync-rules';
import { AppModule, SERVICE_NAME } from '../../src/app.module';
import { SyncEnv } from '../../src/config/sync.env';
import { RunsService } from '../../src/runs/runs.service';

const COMPANY = randomUUID();

const BRAKE = {
  deactivations: 9,
  linkedUsers: 10,
  share: 0.9,
  limit: 0.2,
  min: 5,
  needsApproval: true,
};

describe('sync-orchestrator on /metrics', () => {
  let service: TestService<SyncEnv>;

  beforeAll(async () => {
    service = await startTestService(SyncEnv, (env) => AppModule.forRoot(env), {
      name: SERVICE_NAME,
      schemaPrefix: 'sync',
      env: { SCHEDULER_TICK: '1h' },
    });
  });
  afterAll(() => service?.close());

  /** Every sample /metrics shows now, `name{labels}` -> value. */
  async function scrape(): Promise<Map<string, number>> {
    const text = await (await fetch(`${service.url}/metrics`)).text();
    const samples = new Map<string, number>();
    for (const line of text.split('\n')) {
      if (line.startsWith('#') || line.trim() === '') continue;
      const at = line.lastIndexOf(' ');
      samples.set(line.slice(0, at), Number(line.slice(at + 1)));
    }
    return samples;
  }

  it('counts a run from start to end, its items, and shows when the last one succeeded', async () => {
    const runs = service.app.get(RunsService);
    const before = Date.now() / 1000;
    const run = await runs.start({ companyId: COMPANY, trigger: 'manual', direction: 'two-way' });
    const skip = {
      action: 'skip',
      side: 'lms',
      person: 'Ada Lovelace',
      reason: 'in sync',
      changes: [],
    } as unknown as PlanItem;
    await runs.recordPlan(COMPANY, run.id, 'portal.example', [skip], []);
    await runs.finish(COMPANY, run.id, 'succeeded', 3);

    const samples = await scrape();
    expect(
      samples.get(`${Metrics.syncRunsStarted.name}{trigger="manual",direction="two-way"}`),
    ).toBe(1);
    expect(
      samples.get(
        `${Metrics.syncRunsFinished.name}{trigger="manual",direction="two-way",status="succeeded"}`,
      ),
    ).toBe(1);
    expect(
      samples.get(`${Metrics.syncRunDuration.name}_count{trigger="manual",status="succeeded"}`),
    ).toBe(1);
    expect(samples.get(`${Metrics.syncRunItems.name}{action="skip",outcome="skipped"}`)).toBe(1);
    const lastSuccess = samples.get(`${Metrics.syncLastSuccess.name}{company="${COMPANY}"}`);
    expect(lastSuccess).toBeGreaterThanOrEqual(Math.floor(before));
    expect(lastSuccess).toBeLessThanOrEqual(Date.now() / 1000);
    // No integration saved: no automatic sync series for the company.
    expect(
      samples.get(`${Metrics.syncAutomaticEnabled.name}{company="${COMPANY}"}`),
    ).toBeUndefined();
    expect(samples.get(Metrics.serviceReady.name)).toBe(1);
  });

  it('shows a run held for approval until it is rejected, and a failed run leaves the last success alone', async () => {
    const runs = service.app.get(RunsService);
    const lastSuccess = (await scrape()).get(
      `${Metrics.syncLastSuccess.name}{company="${COMPANY}"}`,
    );
    const run = await runs.start({
      companyId: COMPANY,
      trigger: 'scheduled',
      direction: 'hr-to-lms',
    });
    await runs.holdForApproval(COMPANY, run.id, BRAKE, 2);
    expect((await scrape()).get(Metrics.syncRunsAwaitingApproval.name)).toBe(1);

    await runs.reject(COMPANY, run.id);
    const samples = await scrape();
    expect(samples.get(Metrics.syncRunsAwaitingApproval.name)).toBe(0);
    expect(
      samples.get(
        `${Metrics.syncRunsFinished.name}{trigger="scheduled",direction="hr-to-lms",status="failed"}`,
      ),
    ).toBe(1);
    expect(samples.get(`${Metrics.syncLastSuccess.name}{company="${COMPANY}"}`)).toBe(lastSuccess);
  });
});
