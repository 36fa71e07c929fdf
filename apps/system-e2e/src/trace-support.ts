import { requiredEnv, SimulatorProcess } from '@talentsync/shared/testing';
import { connectTwoWay, Rest } from './auto-sync-support';
import { createCompany } from './sync-fixtures';
import { TestSystem } from './system';

// What the trace suites share (trace.e2e-spec.ts: W3C trace ids in the logs; otel.e2e-spec.ts:
// OpenTelemetry spans): one HR change crossing hr-service, the orchestrator and lms-connector
// to a TalentLMS portal, and the services' JSON log lines of one trace.

/** The services an HR change crosses on its way to TalentLMS. */
const TRACED_SERVICES = ['hr-service', 'lms-connector', 'sync-orchestrator'];

/** Filled in by useTracedCompany's beforeAll. */
export interface TracedCompany {
  system: TestSystem;
  sim: SimulatorProcess;
  companyId: string;
}

/**
 * For the enclosing `describe`: a simulator portal, the three services on the secured bus
 * (with `env`, resolved first: e.g. an OTLP receiver's endpoint) and a company connected to
 * the portal two-way with automatic sync, its initial run done; all stopped and dropped after.
 */
export function useTracedCompany(
  env: () => Record<string, string> | Promise<Record<string, string>> = () => ({}),
): TracedCompany {
  const traced = {} as TracedCompany;
  const databaseUrl = requiredEnv('DATABASE_URL');

  beforeAll(async () => {
    const extra = await env();
    traced.sim = await SimulatorProcess.start();
    traced.system = new TestSystem(
      { LMS_ALLOW_INSECURE_HTTP: 'true', ...extra },
      { securedBus: true },
    );
    await traced.system.start(TRACED_SERVICES);
    await traced.system.waitReady();
    traced.companyId = await createCompany(traced.system);
    const sync = new Rest(
      () => traced.system.url('sync-orchestrator'),
      () => traced.companyId,
    );
    await connectTwoWay(sync, traced.sim);
  }, 120_000);

  afterAll(async () => {
    await traced.system?.stop().catch(() => undefined);
    await traced.sim?.stop();
    await traced.system?.dropData(databaseUrl);
  }, 60_000);

  return traced;
}

/** A service's JSON log line, as far as the trace suites read it. */
export interface LogLine {
  msg?: string;
  context?: string;
  traceId?: string;
  spanId?: string;
}

/** The JSON log lines of a service that carry `traceId`. */
export function linesOfTrace(logs: string[], traceId: string): LogLine[] {
  return logs
    .filter((line) => line.includes(traceId))
    .map((line) => {
      try {
        return JSON.parse(line.slice(line.indexOf('{'))) as LogLine;
      } catch {
        return {};
      }
    })
    .filter((line) => line.traceId === traceId);
}
