import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SimulatorAdmin, simulatorNodeFlags } from './simulator';

// SimulatorAdmin against a stand-in server that records each request: the admin paths must be
// the ones apps/talentlms-sim/README.md documents (a wrong path can reset all portal data).

describe('SimulatorAdmin', () => {
  let server: Server;
  let admin: SimulatorAdmin;
  const requests: { method: string; url: string; body: string }[] = [];
  let answerStatus = 200;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        requests.push({ method: req.method ?? '', url: req.url ?? '', body });
        res.writeHead(answerStatus, { 'content-type': 'application/json' });
        res.end(answerStatus === 200 ? '{"ok":true}' : '{"error":"nope"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    admin = new SimulatorAdmin(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  beforeEach(() => {
    requests.length = 0;
    answerStatus = 200;
  });

  it('calls the documented admin path of each operation', async () => {
    await admin.reset();
    await admin.seed({ users: [] });
    await admin.seed({ users: [] }, { merge: true });
    await admin.state();
    await admin.calls();
    await admin.resetCalls();
    await admin.setFaults({ errorRate: 1 });
    await admin.patchFaults({ latencyMs: 5 });
    await admin.clearFaults();
    await admin.limits();
    await admin.setLimits({ perHour: 5 });
    await admin.resetRateWindows();
    await admin.clock();
    await admin.advanceClock(1000);
    await admin.resetClock();

    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /_sim/reset',
      'POST /_sim/seed',
      'POST /_sim/seed?mode=merge',
      'GET /_sim/state',
      'GET /_sim/calls',
      'DELETE /_sim/calls',
      'PUT /_sim/faults',
      'PATCH /_sim/faults',
      'DELETE /_sim/faults',
      'GET /_sim/limits',
      'PUT /_sim/limits',
      // Fresh rate windows only: POST /_sim/reset would also reset all portal data.
      'POST /_sim/limits/reset',
      'GET /_sim/clock',
      'POST /_sim/clock',
      'DELETE /_sim/clock',
    ]);
    expect(JSON.parse(requests[6].body)).toEqual({ errorRate: 1 });
    expect(JSON.parse(requests[13].body)).toEqual({ advanceMs: 1000 });
  });

  it('resolves the parsed answer', async () => {
    await expect(admin.state()).resolves.toEqual({ ok: true });
  });

  it('throws with the path and the answer when the simulator refuses', async () => {
    answerStatus = 400;
    await expect(admin.setLimits({ perHour: -1 })).rejects.toThrow(
      'talentlms-sim PUT /_sim/limits answered 400: {"error":"nope"}',
    );
  });
});

describe('simulatorNodeFlags', () => {
  it("runs the simulator with its Dockerfile's node flags, as the service launcher does", () => {
    const launcher = require(join(__dirname, '../../../../../scripts/lib/services.cjs')) as {
      nodeFlags: (name: string) => string[];
    };
    expect(simulatorNodeFlags()).toEqual(['--max-semi-space-size=2']);
    expect(launcher.nodeFlags('talentlms-sim')).toEqual(simulatorNodeFlags());
  });
});
