import {
  HrRequests,
  LmsRequests,
  RpcErrorCodes,
  type EmployeeRecord,
  type LmsUser,
} from '@talentsync/contracts';
import type { MsgHdrs } from '@nats-io/transport-node';
import type { NatsConnection } from '../nats.connection';
import { COMPANY_ID, NatsRpcClient } from './nats-rpc.client';
import { RPC_LANE, runUrgent } from './urgent-work';

/** A connection that answers every request with `reply`, and remembers what was asked. */
function answering(reply: unknown) {
  const asked: { subject: string; body: unknown; companyHeader?: string; lane?: string }[] = [];
  const nats = {
    subject: (name: string) => name,
    connection: {
      request: async (subject: string, body: string, options: { headers: MsgHdrs }) => {
        const companyHeader = options.headers.get(COMPANY_ID);
        const lane = options.headers.get(RPC_LANE);
        asked.push({
          subject,
          body: JSON.parse(body),
          ...(companyHeader ? { companyHeader } : {}),
          ...(lane ? { lane } : {}),
        });
        return { json: () => reply };
      },
    },
  } as unknown as NatsConnection;
  return { sut: new NatsRpcClient(nats), asked };
}

const portal = { url: 'acme.talentlms.com', apiKeySealed: 'v2.a.b.c', branch: 'all' };
const companyId = '3f6a2b1c-7d4e-4a5b-8c9d-0e1f2a3b4c5d';

describe(NatsRpcClient.name, () => {
  it('sends the payload and resolves with the reply data', async () => {
    const { sut, asked } = answering({ ok: true, data: { user: null, inScope: false } });
    await expect(sut.request(LmsRequests.getUser, { companyId, portal, id: '7' })).resolves.toEqual(
      {
        user: null,
        inScope: false,
      },
    );
    expect(asked).toEqual([
      { subject: 'lms.users.get', body: { companyId, portal, id: '7' }, companyHeader: companyId },
    ]);
  });

  it("repeats the body's companyId in the Company-Id header, and sends none without one", async () => {
    const { sut, asked } = answering({ ok: true, data: null });
    await sut.requestOutsideCatalogue('anything', { page: 1 });
    await sut.requestOutsideCatalogue('anything', { companyId: 42 });
    expect(asked.map((a) => a.companyHeader)).toEqual([undefined, undefined]);
  });

  it('marks a request made inside urgent work (a push) for the urgent lane, and no other', async () => {
    const { sut, asked } = answering({ ok: true, data: null });
    await sut.requestOutsideCatalogue('anything', { companyId });
    await runUrgent({}, () => sut.requestOutsideCatalogue('anything', { companyId }));
    await sut.requestOutsideCatalogue('anything', { companyId });
    expect(asked.map((a) => a.lane)).toEqual([undefined, 'urgent', undefined]);
  });

  it('throws the error reply as a RemoteCallError with its code', async () => {
    const { sut } = answering({
      ok: false,
      error: { code: RpcErrorCodes.notFound, message: 'no such employee', retryable: false },
    });
    await expect(
      sut.request(HrRequests.getEmployee, {
        companyId,
        id: '6f1c1f5e-8f7a-4f0c-9a57-3c1d0f8e2a10',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', retryable: false, subject: 'hr.employees.get' });
  });

  // Compile-time contract checks: `tsc` (the typecheck target) fails if any of these compile.
  it('refuses, at compile time, a payload or a reply that is not the contract', async () => {
    const { sut } = answering({ ok: true, data: {} });
    const wrong = async () => {
      // @ts-expect-error a subject outside the catalogue
      await sut.request('lms.users.delete', { portal, id: '7' });
      // @ts-expect-error lms.users.get needs the user's id
      await sut.request(LmsRequests.getUser, { portal });
      // @ts-expect-error a field lms.users.get does not take
      await sut.request(LmsRequests.getUser, { portal, id: '7', email: 'a@b.c' });
      // @ts-expect-error every lms.* request names its portal
      await sut.request(LmsRequests.listUsers, { page: 1 });
      // @ts-expect-error hr.employees.get takes an id, not a list of them
      await sut.request(HrRequests.getEmployee, { ids: ['x'] });
      // @ts-expect-error every request names its company
      await sut.request(HrRequests.getCompany, { id: 'acme' });
      const found = await sut.request(LmsRequests.getUser, { companyId, portal, id: '7' });
      // @ts-expect-error lms.users.get answers {user, inScope}, not a user
      const user: LmsUser = found;
      const employee = await sut.request(HrRequests.getEmployee, { companyId, id: 'x' });
      // @ts-expect-error hr.employees.get answers one record, not a page
      const items: EmployeeRecord[] = employee.items;
      return [user, items];
    };
    expect(typeof wrong).toBe('function');
  });
});
