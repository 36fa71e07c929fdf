import { headers as natsHeaders, type Msg, type MsgHdrs } from '@nats-io/transport-node';
import { register } from 'prom-client';
import { RpcErrorCodes } from '@talentsync/contracts';
import type { NatsConnection } from '../nats.connection';
import { COMPANY_ID } from './nats-rpc.client';
import { NatsRpcTransport } from './nats-rpc.transport';
import { RPC_LANE } from './urgent-work';
import type { RequestLimits } from './request-gate';

const acme = '3f6a2b1c-7d4e-4a5b-8c9d-0e1f2a3b4c5d';
const globex = '9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d';
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A request as the subscription hands it over: its body is parsed only through `json`. */
function request(body: unknown, company?: string, lane?: string) {
  const text = JSON.stringify(body);
  let headers: MsgHdrs | undefined;
  if (company !== undefined || lane !== undefined) headers = natsHeaders();
  if (company !== undefined) headers?.set(COMPANY_ID, company);
  if (lane !== undefined) headers?.set(RPC_LANE, lane);
  const replies: { ok: boolean; error?: { code: string } }[] = [];
  const msg = {
    subject: 'lms.users.get',
    reply: '_INBOX.1',
    headers,
    data: new TextEncoder().encode(text),
    json: jest.fn(() => JSON.parse(text)),
    respond: (reply: string | Uint8Array) => {
      replies.push(JSON.parse(typeof reply === 'string' ? reply : new TextDecoder().decode(reply)));
      return true;
    },
  };
  return { msg: msg as unknown as Msg, json: msg.json, replies };
}

/** The transport over a fake connection, one handler that answers when `release` is called. */
function serving(limits: RequestLimits = { concurrency: 1, queue: 0 }) {
  let deliver: (msg: Msg) => void = () => undefined;
  const nats = {
    subject: (name: string) => name,
    connection: {
      info: { max_payload: 1024 * 1024 },
      subscribe: (_subject: string, options: { callback: (e: Error | null, m: Msg) => void }) => {
        deliver = (msg) => options.callback(null, msg);
        return { drain: async () => undefined, unsubscribe: () => undefined };
      },
    },
  } as unknown as NatsConnection;
  const sut = new NatsRpcTransport(nats, 'test', limits);
  const handled: unknown[] = [];
  const releases: Array<() => void> = [];
  sut.addHandler('lms.users.get', async (data: unknown) => {
    handled.push(data);
    await new Promise<void>((resolve) => releases.push(resolve));
    return { done: true };
  });
  sut.listen(() => undefined);
  return { sut, deliver: (msg: Msg) => deliver(msg), handled, releases };
}

/** How many requests of `lms.users.get` were observed at `stage`, and their total seconds. */
async function observed(
  stage: 'queued' | 'queued_urgent' | 'handled',
): Promise<{ count: number; sum: number }> {
  const values = ((await register.getMetricsAsJSON()).find(
    (m) => m.name === 'rpc_request_duration_seconds',
  )?.values ?? []) as { metricName?: string; labels: Record<string, unknown>; value: number }[];
  const of = (part: string) =>
    values.find(
      (v) =>
        v.metricName === `rpc_request_duration_seconds_${part}` &&
        v.labels.pattern === 'lms.users.get' &&
        v.labels.stage === stage,
    )?.value ?? 0;
  return { count: of('count'), sum: of('sum') };
}

describe(NatsRpcTransport.name, () => {
  it('measures the time a request waited for its turn apart from its handling', async () => {
    const before = { queued: await observed('queued'), handled: await observed('handled') };
    const { deliver, releases } = serving({ concurrency: 1, queue: 1 });
    deliver(request({ companyId: acme, id: '1' }, acme).msg);
    deliver(request({ companyId: globex, id: '2' }, globex).msg); // waits for the first
    await settle();
    await new Promise((resolve) => setTimeout(resolve, 30));
    releases[0]();
    await settle();
    await settle();
    releases[1]();
    await settle();
    await settle();
    const queued = await observed('queued');
    const handled = await observed('handled');
    expect(queued.count - before.queued.count).toBe(2);
    expect(handled.count - before.handled.count).toBe(2);
    // The second waited the ~30 ms the first was handled; the first did not wait.
    expect(queued.sum - before.queued.sum).toBeGreaterThanOrEqual(0.025);
    expect(handled.sum - before.handled.sum).toBeGreaterThanOrEqual(0.025);
  });

  it('refuses a request BUSY from its Company-Id header, without parsing its body', async () => {
    const { deliver, handled, releases } = serving();
    const first = request({ companyId: acme, id: '1' }, acme);
    deliver(first.msg);
    await settle();
    expect(handled).toEqual([{ companyId: acme, id: '1' }]);

    const refused = request({ companyId: acme, id: '2' }, acme);
    deliver(refused.msg);
    expect(refused.replies).toEqual([expect.objectContaining({ ok: false })]);
    expect(refused.replies[0].error?.code).toBe(RpcErrorCodes.busy);
    expect(refused.json).not.toHaveBeenCalled();

    releases[0]();
    await settle();
    expect(first.replies).toEqual([{ ok: true, data: { done: true } }]);
  });

  it("without the header, keys the gate by the body's companyId (parsed once)", async () => {
    const { deliver, handled } = serving({ concurrency: 2, queue: 0, perKeyConcurrency: 1 });
    const first = request({ companyId: acme, id: '1' });
    deliver(first.msg);
    const sameCompany = request({ companyId: acme, id: '2' });
    deliver(sameCompany.msg);
    const otherCompany = request({ companyId: globex, id: '3' });
    deliver(otherCompany.msg);
    await settle();

    expect(sameCompany.replies[0].error?.code).toBe(RpcErrorCodes.busy);
    expect(handled).toEqual([
      { companyId: acme, id: '1' },
      { companyId: globex, id: '3' },
    ]);
    expect(first.json).toHaveBeenCalledTimes(1);
  });

  it('refuses a request whose header names another company than its body, and runs no handler', async () => {
    const { deliver, handled } = serving();
    const forged = request({ companyId: globex, id: '1' }, acme);
    deliver(forged.msg);
    await settle();

    expect(handled).toEqual([]);
    expect(forged.replies[0]).toMatchObject({
      ok: false,
      error: { code: RpcErrorCodes.validationFailed },
    });
  });

  it('serves a request marked urgent first, timed as queued_urgent; ignores other lane values', async () => {
    const before = await observed('queued_urgent');
    // Two turns: while others wait, urgent requests may hold one (RequestGate).
    const { deliver, handled, releases } = serving({ concurrency: 2, queue: 10 });
    for (const id of ['run-1', 'run-2', 'run-3'])
      deliver(request({ companyId: acme, id }, acme).msg);
    deliver(request({ companyId: globex, id: 'odd' }, globex, 'URGENT!').msg);
    deliver(request({ companyId: globex, id: 'push' }, globex, 'urgent').msg);
    await settle();
    for (let i = 0; i < 3; i += 1) {
      releases[i]();
      await settle();
      await settle();
    }
    // The unknown value waited in the others' lane, after the push (rotation: acme, globex).
    expect(handled.map((h) => (h as { id: string }).id)).toEqual([
      'run-1',
      'run-2',
      'push',
      'run-3',
      'odd',
    ]);
    expect((await observed('queued_urgent')).count - before.count).toBe(1);
  });

  it('still refuses an urgent request whose header names another company than its body', async () => {
    const { deliver, handled } = serving();
    const forged = request({ companyId: globex, id: '1' }, acme, 'urgent');
    deliver(forged.msg);
    await settle();
    expect(handled).toEqual([]);
    expect(forged.replies[0].error?.code).toBe(RpcErrorCodes.validationFailed);
  });
});
