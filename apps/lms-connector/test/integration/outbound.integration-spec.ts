import { createServer, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { LmsRequests } from '@talentsync/contracts';
import { portalDispatcher } from '../../src/talentlms/outbound/portal-dispatcher';
import { sendPortalRequest } from '../../src/talentlms/drivers/talentlms-v1/talentlms-v1.http';
import { PortalSession } from '../../src/talentlms/portal-session';
import { Connector, rpcError, sealFor, startConnector } from './connector-harness';

const API_KEY = 'outbound-test-key-0000';

/** A listener on 127.0.0.1 that counts what reaches it; `answer` writes the response. */
async function listener(answer: (res: ServerResponse) => void = (res) => res.end('{}')) {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    answer(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { hits, port, close };
}

/** A session for a host that only the test's own resolver knows. */
const sessionAt = (host: string) =>
  new PortalSession(`http://${host}`, host, API_KEY, 'all', Date.now() + 5_000);

const verifyAt = (connector: Connector, url: string) =>
  rpcError(connector, LmsRequests.verifyPortal, {
    portal: { url, apiKeySealed: sealFor(url, API_KEY, connector.env.encryptionKey) },
  });

describe('outbound calls: no private addresses (SSRF)', () => {
  let connector: Connector;
  let target: Awaited<ReturnType<typeof listener>>;

  beforeAll(async () => {
    // As in production (plain http allowed only to reach the local listener at all).
    connector = await startConnector({ LMS_ALLOW_PRIVATE_ADDRESSES: 'false' });
    target = await listener();
  });
  afterAll(async () => {
    await connector?.close();
    await target?.close();
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['2130706433', 'loopback'],
    ['0x7f000001', 'loopback'],
    ['0177.0.0.1', 'loopback'],
    ['127.1', 'loopback'],
    ['[::ffff:127.0.0.1]', 'loopback'],
    ['[::1]', 'loopback'],
    ['localhost', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['169.254.169.254', 'link-local'],
    ['10.0.0.1', 'private'],
    ['[fd00::1]', 'unique-local'],
  ])('%s -> LMS_ADDRESS_NOT_ALLOWED (%s), nothing sent', async (host, kind) => {
    const url = `http://${host}:${target.port}`;
    const error = await verifyAt(connector, url);
    expect(error).toMatchObject({ code: 'LMS_ADDRESS_NOT_ALLOWED', retryable: false });
    expect(error.message).toContain(kind);
    // The class of failure, never the address it resolved to.
    expect(error.message).not.toMatch(/127\.0\.0\.1|::1|169\.254/);
    expect(target.hits).toEqual([]);
  });

  it('checks the address it connects to: a DNS answer that changes after a check is never used', async () => {
    // First answer public, then the loopback: a check-then-resolve-again client would connect
    // to the second. The guarded lookup is asked once per connection and that answer is used.
    const answers = ['8.8.8.8', '127.0.0.1'];
    let asked = 0;
    const session = sessionAt(`rebind.example:${target.port}`);
    const outbound = {
      dispatcher: portalDispatcher({
        allowPrivateAddresses: false,
        resolve: (_host, _options, callback) =>
          callback(null, [{ address: answers[Math.min(asked++, 1)], family: 4 }]),
      }),
      maxResponseBytes: 65_536,
    };
    const send = () =>
      sendPortalRequest(session, { action: 'siteinfo', endpoint: 'siteinfo' }, 1_000, outbound)
        .then(() => ({ code: 'answered' }))
        .catch((e: { code: string }) => e);
    // The first connection goes to the public answer (unreachable here), the second is refused.
    expect((await send()).code).toMatch(/^LMS_(TIMEOUT|UNREACHABLE)$/);
    expect(await send()).toMatchObject({ code: 'LMS_ADDRESS_NOT_ALLOWED' });
    expect(asked).toBe(2);
    expect(target.hits).toEqual([]);
  });

  it('refuses a name when any of its addresses is private', async () => {
    const session = sessionAt(`mixed.example:${target.port}`);
    const dispatcher = portalDispatcher({
      allowPrivateAddresses: false,
      resolve: (_host, _options, callback) =>
        callback(null, [
          { address: '8.8.8.8', family: 4 },
          { address: '127.0.0.1', family: 4 },
        ]),
    });
    const error = await sendPortalRequest(
      session,
      { action: 'siteinfo', endpoint: 'siteinfo' },
      1_000,
      { dispatcher, maxResponseBytes: 65_536 },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LMS_ADDRESS_NOT_ALLOWED' });
    expect(target.hits).toEqual([]);
  });
});

describe('outbound calls: a capped answer size', () => {
  const CAP = 1_048_576;
  let connector: Connector;

  beforeAll(async () => {
    connector = await startConnector({
      LMS_MAX_RESPONSE_BYTES: String(CAP),
      LMS_MAX_ATTEMPTS: '3',
    });
  });
  afterAll(() => connector?.close());

  it('an endless answer is aborted past LMS_MAX_RESPONSE_BYTES: permanent, asked once, memory flat', async () => {
    let written = 0;
    const chunk = Buffer.alloc(65_536, 'x');
    const flood = await listener((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"padding":"');
      const pump = () => {
        // Up to 1.5 GB unless the reader goes away.
        while (written < 1_500_000_000 && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end('"}');
      };
      res.on('close', () => undefined);
      pump();
    });
    try {
      const rssBefore = process.memoryUsage().rss;
      const error = await verifyAt(connector, `http://127.0.0.1:${flood.port}`);
      expect(error).toMatchObject({ code: 'LMS_RESPONSE_TOO_LARGE', retryable: false });
      expect(error.message).toMatch(/larger than 1048576 bytes/);
      expect(flood.hits).toHaveLength(1);
      // The reader stopped the stream: far less than the flood was written.
      expect(written).toBeLessThan(64 * CAP);
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
    } finally {
      await flood.close();
    }
  });

  it('an answer that declares a size over the cap is not read at all', async () => {
    const big = await listener((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1610612736' });
      res.write('{');
    });
    try {
      const error = await verifyAt(connector, `http://127.0.0.1:${big.port}`);
      expect(error).toMatchObject({ code: 'LMS_RESPONSE_TOO_LARGE', retryable: false });
      expect(big.hits).toHaveLength(1);
    } finally {
      await big.close();
    }
  });
});
