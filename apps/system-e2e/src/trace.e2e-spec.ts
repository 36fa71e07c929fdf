import { randomBytes } from 'node:crypto';
import { requiredEnv, waitFor, withPg } from '@talentsync/shared/testing';
import { companyPath, DEV_TOKEN, type Employee } from './sync-fixtures';
import { linesOfTrace, useTracedCompany } from './trace-support';

// Issue 18 item 10: one HR change followed through every service by its W3C trace id, from the
// HTTP request that made it to the TalentLMS call it caused.

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

describe('trace context end to end', () => {
  const suite = useTracedCompany();
  const databaseUrl = requiredEnv('DATABASE_URL');

  it('carries the caller trace id from POST /companies/:id/employees to the TalentLMS call and into every log', async () => {
    const { system, sim, companyId } = suite;
    const traceId = hex(16);
    const callerSpan = hex(8);
    const response = await fetch(
      `${system.url('hr-service')}${companyPath(companyId, '/employees')}`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${DEV_TOKEN}`,
          'content-type': 'application/json',
          traceparent: `00-${traceId}-${callerSpan}-01`,
        },
        body: JSON.stringify({
          firstName: 'Tracy',
          lastName: 'Tester',
          email: `tracy.${system.suffix}@acme.test`,
          language: 'en',
          hireDate: '2026-01-05',
        }),
      },
    );
    expect(response.status).toBe(201);
    const employee = (await response.json()) as Employee;
    // The answer names hr-service's own span of the caller's trace.
    const answered = response.headers.get('traceparent') ?? '';
    expect(answered).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(answered).not.toContain(callerSpan);

    await waitFor(
      'Tracy in TalentLMS',
      async () =>
        (await sim.state()).users.find((u) => u.email === employee.email && u.status === 'active'),
      { timeoutMs: 30_000, intervalMs: 250 },
    );

    // The outbox row kept the trace for the relay.
    const rows = await withPg(databaseUrl, async (pg) => {
      const { rows } = await pg.query<{ traceparent: string | null }>(
        `SELECT traceparent FROM "${system.schemaOf('hr-service')}".outbox
         WHERE payload->'employee'->>'id' = $1`,
        [employee.id],
      );
      return rows;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0].traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));

    // Each service logged its part of the change under the one trace id.
    const traced = await waitFor(
      'every service to log the change',
      async () => {
        const found = {
          hr: linesOfTrace(system.get('hr-service').logs, traceId),
          orchestrator: linesOfTrace(system.get('sync-orchestrator').logs, traceId),
          connector: linesOfTrace(system.get('lms-connector').logs, traceId),
        };
        return Object.values(found).every((lines) => lines.length > 0) ? found : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 250 },
    );
    expect(traced.hr.map((l) => l.msg)).toContain('request completed');
    expect(traced.orchestrator.map((l) => l.msg)).toContainEqual(
      expect.stringMatching(/^Handled employee\.hired /),
    );
    expect(traced.connector.map((l) => l.msg)).toContainEqual(
      expect.stringMatching(/^TalentLMS usersignup: ok$/),
    );
    // A hop is a span of its own: the services never log under the caller's span id.
    const spans = Object.values(traced)
      .flat()
      .map((l) => l.spanId);
    expect(spans).not.toContain(callerSpan);
  }, 90_000);
});
