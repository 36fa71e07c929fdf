import { HrRequests, LmsRequests } from '@talentsync/contracts';
import type { NatsRpcClient } from '@talentsync/shared/messaging';
import type { SyncEnv } from '../config/sync.env';
import { CallMeter } from './call-meter';
import { HrClient } from './hr.client';
import { LmsClient } from './lms.client';

// Unit test of the two NATS drivers with a fake RPC client: every request names its company.

const COMPANY = '5f0c8a52-3c1e-4d4b-9a57-1f2b3c4d5e6f';

function rpcAnswering(reply: unknown) {
  const sent: { subject: string; payload: unknown }[] = [];
  const rpc = {
    request: async (subject: string, payload: unknown) => {
      sent.push({ subject, payload });
      return reply;
    },
  } as unknown as NatsRpcClient;
  return { rpc, sent };
}

describe(LmsClient.name, () => {
  it("sends the portal's company as the request's companyId, not inside the portal", async () => {
    const { rpc, sent } = rpcAnswering({ user: null, callsSpent: 1 });
    const sut = new LmsClient(rpc, { LMS_REPLY_TIMEOUT: '1s' } as SyncEnv);
    const portal = {
      companyId: COMPANY,
      url: 'https://acme.talentlms.com',
      apiKeySealed: 'v2.x',
      branch: 'all',
    };

    await sut.getUser(portal, '7', new CallMeter());

    expect(sent).toEqual([
      {
        subject: LmsRequests.getUser,
        payload: {
          companyId: COMPANY,
          portal: { url: 'https://acme.talentlms.com', apiKeySealed: 'v2.x', branch: 'all' },
          id: '7',
        },
      },
    ]);
  });
});

describe(HrClient.name, () => {
  it('names the company in every hr.* request', async () => {
    const { rpc, sent } = rpcAnswering({ items: [], total: 0 });
    const sut = new HrClient(rpc);

    await sut.listEmployees(COMPANY, { includeSsn: false });
    await sut.pendingEnrolments(COMPANY);
    await sut.storeTraining(COMPANY, []);

    expect(sent.map((s) => s.subject)).toEqual([
      HrRequests.listEmployees,
      HrRequests.listEnrolmentRequests,
      HrRequests.storeTraining,
    ]);
    for (const { payload } of sent) expect(payload).toMatchObject({ companyId: COMPANY });
  });
});
