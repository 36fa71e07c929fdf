import { randomUUID } from 'node:crypto';
import { Metrics } from '@talentsync/contracts';
import { companyTransaction } from '@talentsync/shared/database';
import type { PlanItem } from '@talentsync/sync-rules';
import { RunItemGate } from '../../src/engine/run-item-gate';
import { PUSHES_PER_VERDICT, VERDICT_INTERVAL_MS } from '../../src/engine/run-item-gate-rules';
import { PushWorkers } from '../../src/push/push-workers';
import { RunsService } from '../../src/runs/runs.service';
import { SyncRun } from '../../src/runs/sync-run.entity';
import { IntegrationService } from '../../src/settings/integration.service';
import {
  dataSourceOf,
  type Orchestrator,
  startOrchestrator,
  storeIntegration,
} from './orchestrator-harness';

const COMPANY = randomUUID();
const HOUR = 3600_000;
const lastSuccessOf = (companyId: string) =>
  `${Metrics.syncLastSuccess.name}{company="${companyId}"}`;

const BRAKE = {
  deactivations: 9,
  linkedUsers: 10,
  share: 0.9,
  limit: 0.2,
  min: 5,
  needsApproval: true,
};

describe('sync-orchestrator on /metrics', () => {
  let service: Orchestrator;

  beforeAll(async () => {
    service = await startOrchestrator();
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
    await storeIntegration(service, COMPANY, { activatedAt: new Date(Date.now() - HOUR) });
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
    const lastSuccess = samples.get(lastSuccessOf(COMPANY));
    expect(lastSuccess).toBeGreaterThanOrEqual(Math.floor(before));
    expect(lastSuccess).toBeLessThanOrEqual(Date.now() / 1000);
    expect(samples.get(Metrics.syncAutomaticIntegrations.name)).toBe(1);
    expect(samples.get(Metrics.serviceReady.name)).toBe(1);
  });

  it("shows the run-item gate's limit: every CPU-slot run full, halved once pushes are slow", async () => {
    // One gate for the replica: the one the push workers tell is the one runs' writes wait at.
    const gate = service.app.get(RunItemGate);
    expect((service.app.get(PushWorkers) as unknown as { runItems: unknown }).runItems).toBe(gate);
    expect((await scrape()).get(Metrics.syncRunItemLimit.name)).toBe(4 * 8);

    await new Promise((resolve) => setTimeout(resolve, VERDICT_INTERVAL_MS));
    const started = Date.now();
    for (let i = 0; i < PUSHES_PER_VERDICT; i += 1) gate.notePush(started, 5_000);

    expect((await scrape()).get(Metrics.syncRunItemLimit.name)).toBe(16);
  });

  it('shows no last success for a company without an integration, even one that succeeded', async () => {
    const runs = service.app.get(RunsService);
    const companyId = randomUUID();
    const run = await runs.start({ companyId, trigger: 'manual', direction: 'two-way' });
    await runs.finish(companyId, run.id, 'succeeded', 0);

    const samples = await scrape();
    expect(samples.get(lastSuccessOf(companyId))).toBeUndefined();
    expect(samples.get(lastSuccessOf(COMPANY))).toBeDefined();
  });

  it('shows a run held for approval until it is rejected, and a failed run leaves the last success alone', async () => {
    const runs = service.app.get(RunsService);
    const lastSuccess = (await scrape()).get(lastSuccessOf(COMPANY));
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
    expect(samples.get(lastSuccessOf(COMPANY))).toBe(lastSuccess);
  });

  it('shows the activation time while no run succeeded since it; paused it stays, automatic off or deactivated it disappears', async () => {
    const runs = service.app.get(RunsService);
    const companyId = randomUUID();
    // A success before the current activation (three days ago; activated again two days ago).
    const run = await runs.start({ companyId, trigger: 'manual', direction: 'hr-to-lms' });
    await runs.finish(companyId, run.id, 'succeeded', 0);
    await companyTransaction(dataSourceOf(service), companyId, (m) =>
      m.update(SyncRun, { id: run.id }, { finishedAt: new Date(Date.now() - 72 * HOUR) }),
    );
    const automaticBefore = (await scrape()).get(Metrics.syncAutomaticIntegrations.name) ?? 0;
    const activatedAt = new Date(Date.now() - 48 * HOUR);
    const expected = activatedAt.getTime() / 1000;

    await storeIntegration(service, companyId, { activatedAt });
    let samples = await scrape();
    expect(samples.get(lastSuccessOf(companyId))).toBeCloseTo(expected, 3);
    expect(samples.get(Metrics.syncAutomaticIntegrations.name)).toBe(automaticBefore + 1);

    // Paused, it is still expected to run: the series stays, so its alert fires.
    await storeIntegration(service, companyId, {
      activatedAt,
      pausedAt: new Date(),
      pauseReason: 'INVALID_API_KEY: the key was refused',
    });
    samples = await scrape();
    expect(samples.get(lastSuccessOf(companyId))).toBeCloseTo(expected, 3);
    expect(samples.get(Metrics.syncAutomaticIntegrations.name)).toBe(automaticBefore + 1);

    await storeIntegration(service, companyId, { activatedAt, automaticSync: false });
    samples = await scrape();
    expect(samples.get(lastSuccessOf(companyId))).toBeUndefined();
    expect(samples.get(Metrics.syncAutomaticIntegrations.name)).toBe(automaticBefore);

    await storeIntegration(service, companyId, { activatedAt });
    expect((await scrape()).get(lastSuccessOf(companyId))).toBeCloseTo(expected, 3);
    await service.app.get(IntegrationService).deactivate(companyId);
    samples = await scrape();
    expect(samples.get(lastSuccessOf(companyId))).toBeUndefined();
    expect(samples.get(Metrics.syncAutomaticIntegrations.name)).toBe(automaticBefore);
  });
});
