import { RpcErrorCodes } from '@talentsync/contracts';
import type { NatsRpcClient } from './nats-rpc.client';
import { RemoteCallError } from './remote-call.error';
import { COMPANY_ACCESS_CACHE_MS, RemoteCompanyAccess } from './remote-company-access';

const ACME = '0b5c2c1e-4a39-4c55-9a43-2f0c2a3b7d11';
const TOKEN = '5d3f0f8e-2b7c-4f1a-8e0d-7c6b5a493827';

type Answer = (subject: string, payload: unknown) => Promise<unknown>;

/** A client whose answers the test sets, counting what it was asked. */
function fakeClient(answer: Answer) {
  const asked: { subject: string; payload: unknown }[] = [];
  const client = {
    request: (subject: string, payload: unknown) => {
      asked.push({ subject, payload });
      return answer(subject, payload);
    },
  } as unknown as NatsRpcClient;
  return { sut: new RemoteCompanyAccess(client), asked };
}

const remoteError = (code: string, retryable = false) =>
  new RemoteCallError('hr.companies.get', { code, message: code, retryable });

describe(RemoteCompanyAccess.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('asks hr.companies.get and hr.tokens.status with the ids', async () => {
    const { sut, asked } = fakeClient(async (subject) =>
      subject === 'hr.tokens.status' ? { active: true } : { id: ACME },
    );
    await expect(sut.exists(ACME)).resolves.toBe(true);
    await expect(sut.isActive(ACME, TOKEN)).resolves.toBe(true);
    expect(asked).toEqual([
      { subject: 'hr.companies.get', payload: { companyId: ACME } },
      { subject: 'hr.tokens.status', payload: { companyId: ACME, tokenId: TOKEN } },
    ]);
  });

  it('answers false for a company hr-service says NOT_FOUND', async () => {
    const { sut } = fakeClient(async () => {
      throw remoteError(RpcErrorCodes.notFound);
    });
    await expect(sut.exists(ACME)).resolves.toBe(false);
  });

  it.each([
    ['hr-service unreachable', remoteError(RpcErrorCodes.noResponders, true)],
    ['a timeout', remoteError(RpcErrorCodes.timeout, true)],
    ['a refused request', remoteError(RpcErrorCodes.validationFailed)],
    ['a local failure', new Error('connection closed')],
  ])('lets %s propagate (never a yes), and keeps no answer for it', async (_case, error) => {
    let fail = true;
    const { sut, asked } = fakeClient(async (subject) => {
      if (fail) throw error;
      return subject === 'hr.tokens.status' ? { active: true } : {};
    });
    await expect(sut.exists(ACME)).rejects.toBe(error);
    await expect(sut.isActive(ACME, TOKEN)).rejects.toBe(error);
    fail = false;
    await expect(sut.exists(ACME)).resolves.toBe(true);
    await expect(sut.isActive(ACME, TOKEN)).resolves.toBe(true);
    expect(asked).toHaveLength(4);
  });

  it('reuses an answer for at most 2 s, then asks again', async () => {
    let active = true;
    const { sut, asked } = fakeClient(async () => ({ active }));
    await expect(sut.isActive(ACME, TOKEN)).resolves.toBe(true);
    active = false; // revoked
    jest.advanceTimersByTime(COMPANY_ACCESS_CACHE_MS - 1);
    await expect(sut.isActive(ACME, TOKEN)).resolves.toBe(true);
    expect(asked).toHaveLength(1);
    jest.advanceTimersByTime(1);
    await expect(sut.isActive(ACME, TOKEN)).resolves.toBe(false);
    expect(asked).toHaveLength(2);
  });

  it('asks once for many requests arriving together', async () => {
    const { sut, asked } = fakeClient(async () => ({}));
    await expect(
      Promise.all([sut.exists(ACME), sut.exists(ACME), sut.exists(ACME)]),
    ).resolves.toEqual([true, true, true]);
    expect(asked).toHaveLength(1);
  });

  it('keeps answers per company and per token', async () => {
    const other = '7a1e9c2d-0f3b-4d5e-8a6b-1c2d3e4f5a6b';
    const { sut } = fakeClient(async (_subject, payload) => ({
      active: (payload as { companyId: string }).companyId === ACME,
    }));
    await expect(sut.isActive(ACME, TOKEN)).resolves.toBe(true);
    await expect(sut.isActive(other, TOKEN)).resolves.toBe(false);
  });

  it('keeps at most 10,000 answers of each kind, dropping the oldest', async () => {
    const { sut, asked } = fakeClient(async () => ({}));
    for (let i = 0; i < 10_001; i++) await sut.exists(`company-${i}`);
    expect(sut.cachedAnswers).toBe(10_000);
    await sut.exists('company-10000'); // the newest: still kept
    expect(asked).toHaveLength(10_001);
    await sut.exists('company-0'); // the oldest: dropped, asked again
    expect(asked).toHaveLength(10_002);
  });
});
