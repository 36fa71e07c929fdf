import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { EmployeeRecord, HrRequests, ListEmployeesResponse } from '@talentsync/contracts';
import { type SentStatement, watchStatements } from '@talentsync/shared/testing';
import { EmployeeRecordsService } from '../../src/employees/employee-records.service';
import { api, Hr, newHire, rpc, useHrWithEvents } from './hr-harness';

/**
 * The round trips and transactions one kind of request costs, counted at the pg driver (every
 * statement TypeORM or preparedQuery sends: watchStatements). Only the
 * company's own: a trip carrying the company id, or any trip on a connection inside one of
 * the company's transactions; the service's background work (outbox relay, schedulers, purges)
 * runs across companies and is left out.
 */
async function costOf(companyId: string, times: number, request: () => Promise<unknown>) {
  const trips: SentStatement[] = [];
  const stop = watchStatements((sent) => trips.push(sent));
  try {
    for (let i = 0; i < times; i += 1) await request();
  } finally {
    stop();
  }
  const inCompany = new Set<unknown>();
  let roundTrips = 0;
  let transactions = 0;
  for (const trip of trips) {
    const opens = /^\s*START TRANSACTION/i.test(trip.text);
    if (opens && trip.text.includes(companyId)) {
      inCompany.add(trip.client);
      transactions += 1;
    }
    const ours =
      inCompany.has(trip.client) ||
      trip.values.includes(companyId) ||
      trip.text.includes(companyId);
    if (ours) roundTrips += 1;
    if (/^\s*(COMMIT|ROLLBACK)/i.test(trip.text)) inCompany.delete(trip.client);
  }
  return { roundTrips: roundTrips / times, transactions: transactions / times };
}

/** CPU ticks (user + system) of each Postgres backend the service's pool holds. */
function backendTicks(hr: Hr): Map<number, number> {
  const pool = (hr.app.get(DataSource).driver as unknown as { master: { _clients: Client[] } })
    .master;
  const ticks = new Map<number, number>();
  for (const client of pool._clients) {
    const pid = (client as unknown as { processID: number }).processID;
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    ticks.set(pid, Number(fields[11]) + Number(fields[12])); // utime, stime
  }
  return ticks;
}

/**
 * CPU ms per request: this process's (the service and its in-process caller) and Postgres's
 * (the pool's backends, from /proc: the database runs on this machine; 10 ms ticks, so many
 * requests). Background work adds a little to both.
 */
async function cpuMsPer(hr: Hr, times: number, request: () => Promise<unknown>) {
  for (let i = 0; i < 50; i += 1) await request(); // warm: prepared statements, JIT
  const pgBefore = backendTicks(hr);
  const start = process.cpuUsage();
  for (let i = 0; i < times; i += 1) await request();
  const used = process.cpuUsage(start);
  let pgTicks = 0;
  for (const [pid, ticks] of backendTicks(hr)) pgTicks += ticks - (pgBefore.get(pid) ?? 0);
  const tickMs = 1000 / 100; // USER_HZ
  return {
    nodeCpuMs: (used.user + used.system) / 1000 / times,
    pgCpuMs: (pgTicks * tickMs) / times,
  };
}

describe("hr-service's cost per request", () => {
  const ctx = useHrWithEvents();
  const figures: Record<string, unknown> = {};
  afterAll(() => console.log(`request cost: ${JSON.stringify(figures)}`));

  const hire = async () =>
    (await api(ctx.hr, 'POST', `${ctx.company.base}/employees`, newHire())).body;

  it('hr.employees.get: one statement (was a transaction of four round trips)', async () => {
    const { id } = await hire();
    const get = () =>
      rpc<EmployeeRecord>(ctx.hr, HrRequests.getEmployee, { companyId: ctx.company.id, id });
    await get();
    const cost = await costOf(ctx.company.id, 20, get);
    figures.get = {
      ...cost,
      ...(await cpuMsPer(ctx.hr, 1000, get)),
      direct: await cpuMsPer(ctx.hr, 1000, () =>
        ctx.hr.app.get(EmployeeRecordsService).get({ companyId: ctx.company.id, id }),
      ),
    };
    expect(cost).toEqual({ roundTrips: 1, transactions: 0 });
  });

  it('hr.employees.list: one statement a page (was a transaction of five round trips)', async () => {
    for (let i = 0; i < 5; i += 1) await hire();
    const page = () =>
      rpc<ListEmployeesResponse>(ctx.hr, HrRequests.listEmployees, {
        companyId: ctx.company.id,
        page: 2,
        pageSize: 2,
      });
    await page();
    const cost = await costOf(ctx.company.id, 20, page);
    figures.list = { ...cost, ...(await cpuMsPer(ctx.hr, 1000, page)) };
    expect(cost).toEqual({ roundTrips: 1, transactions: 0 });
  });

  it("hr.companies.get (the other services' guards): one statement", async () => {
    const get = () => rpc(ctx.hr, HrRequests.getCompany, { companyId: ctx.company.id });
    expect(await get()).toMatchObject({ id: ctx.company.id, adminEmails: [expect.any(String)] });
    const cost = await costOf(ctx.company.id, 20, get);
    figures.company = { ...cost, ...(await cpuMsPer(ctx.hr, 1000, get)) };
    expect(cost).toEqual({ roundTrips: 1, transactions: 0 });
  });

  it('POST and PATCH of an employee: one transaction each, the company checked by its first statement', async () => {
    const post = await costOf(ctx.company.id, 20, hire);
    figures.post = { ...post, ...(await cpuMsPer(ctx.hr, 200, hire)) };
    const { id } = await hire();
    let n = 0;
    const patch = () =>
      api(ctx.hr, 'PATCH', `${ctx.company.base}/employees/${id}`, { lastName: `L${(n += 1)}` });
    const change = await costOf(ctx.company.id, 20, patch);
    figures.patch = { ...change, ...(await cpuMsPer(ctx.hr, 200, patch)) };
    expect(post.transactions).toBe(1);
    expect(change.transactions).toBe(1);
    // The guard's check, scope, insert, outbox, commit (was 6: a live-company check first).
    expect(post.roundTrips).toBeLessThanOrEqual(5);
    // The guard's check, scope, lock, update, outbox, commit (was 7).
    expect(change.roundTrips).toBeLessThanOrEqual(6);
  });
});
