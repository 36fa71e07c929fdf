import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, errors, type NatsConnection } from '@nats-io/transport-node';
import { eventSubject, Streams } from '@talentsync/contracts';
import { requiredEnv, SimulatorProcess, waitFor } from '@talentsync/shared/testing';
import { connectTwoWay, hireThrough, Rest } from './auto-sync-support';
import { createCompany, type Employee } from './sync-fixtures';
import { TestSystem } from './system';

// SPEC section 10 against the built services on a nats-server running the shipped config
// (deploy/nats/nats-server.conf): no identity, a wrong password or another service's identity
// gets nothing; the read-only identity only hears employee.* events; every service works with
// its own.

/** A raw client and the permission violations the server reported to it ("publish x"). */
interface Probe {
  nc: NatsConnection;
  refused: string[];
}

describe('NATS identities and permissions (deploy/nats/nats-server.conf)', () => {
  let sim: SimulatorProcess;
  const system = new TestSystem(
    {
      LMS_ALLOW_INSECURE_HTTP: 'true',
      LMS_MAX_ATTEMPTS: '2',
      LMS_RETRY_BASE_DELAY: '100ms',
      LMS_RETRY_MAX_DELAY: '200ms',
    },
    { securedBus: true },
  );
  const databaseUrl = requiredEnv('DATABASE_URL');
  /** The suite's company: its paths, its subjects, named in every request. */
  let companyId: string;
  const hr = new Rest(
    () => system.url('hr-service'),
    () => companyId,
  );
  const sync = new Rest(
    () => system.url('sync-orchestrator'),
    () => companyId,
  );
  const probes: Probe[] = [];
  let ann: Employee;

  const as = async (identity: string): Promise<Probe> => {
    const probe: Probe = { nc: await system.connectAs(identity), refused: [] };
    void (async () => {
      for await (const status of probe.nc.status()) {
        if (status.type === 'error' && status.error instanceof errors.PermissionViolationError)
          probe.refused.push(`${status.error.operation} ${status.error.subject}`);
      }
    })();
    probes.push(probe);
    return probe;
  };

  /** Waits until the server has refused `what` ("publish <subject>", "subscription <subject>"). */
  const refusedTo = (probe: Probe, what: string) =>
    waitFor(`the server to refuse "${what}"`, async () => probe.refused.includes(what), {
      timeoutMs: 5_000,
      intervalMs: 50,
    });

  const hire = (name: string, attributes?: Record<string, string>) =>
    hireThrough(hr, system.suffix, name, attributes);

  /** The last sequence of a stream, read by an identity allowed to ask. */
  const lastSeq = async (stream: string, identity: string) => {
    const { nc } = await as(identity);
    return (await (await jetstreamManager(nc)).streams.info(stream)).state.last_seq;
  };

  beforeAll(async () => {
    sim = await SimulatorProcess.start({
      seed: { customFields: [{ key: 'custom_field_1', name: 'ssn', type: 'text' }] },
    });
    await system.start();
    await system.waitReady();
    companyId = await createCompany(system);
    ann = await hire('Ann', { ssn: '123-45-6789' });
    await connectTwoWay(sync, sim);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(probes.map((p) => p.nc.close().catch(() => undefined)));
    await system.stop();
    await sim?.stop();
    await system.dropData(databaseUrl);
  }, 60_000);

  it('refuses a client without an identity, and one with a wrong password', async () => {
    await expect(system.connectAs('anonymous')).rejects.toThrow(/authorization/i);
    await expect(
      connect({
        servers: system.natsUrl,
        user: 'hr-service',
        pass: 'not-the-password',
        timeout: 3_000,
      }),
    ).rejects.toThrow(/authorization/i);
  });

  it('refuses a service with a wrong password, and its start-up error shows no credentials', async () => {
    const password = 'not-the-password-4711';
    const url = new URL(system.natsUrl);
    await system.startReplica('hr-service', 'hr-service-wrong-password', {
      NATS_URL: `nats://hr-service:${password}@${url.host}`,
      NATS_USER: '',
      NATS_PASSWORD: '',
      NATS_CONNECT_TIMEOUT_MS: '1500',
    });
    const service = system.get('hr-service-wrong-password');
    const code = await new Promise((resolve) => service.process.once('exit', resolve));
    expect(code).not.toBe(0);
    const logs = service.logs.join('\n');
    expect(logs).toContain(`Cannot reach NATS at nats://***@${url.host}`);
    expect(logs).toMatch(/authorization violation/i);
    expect(logs).not.toContain(password);
    system.services.delete('hr-service-wrong-password');
  });

  it('refuses to start a service in production without a NATS identity, naming the variables', async () => {
    await system.startReplica('notifier', 'notifier-without-identity', {
      NODE_ENV: 'production',
      API_TOKEN: 'x'.repeat(32),
      TOKEN_SIGNING_KEY: 'k'.repeat(32),
      NATS_USER: '',
      NATS_PASSWORD: '',
    });
    const service = system.get('notifier-without-identity');
    const code = await new Promise((resolve) => service.process.once('exit', resolve));
    expect(code).toBe(1);
    expect(service.logs.join('\n')).toMatch(/NATS_USER is required .*production/);
    expect(service.logs.join('\n')).toMatch(/NATS_PASSWORD is required .*production/);
    system.services.delete('notifier-without-identity');
  });

  it('lets no other identity read employees (SSNs): hr.employees.list', async () => {
    const orchestrator = await as('sync-orchestrator');
    const reply = (
      await orchestrator.nc.request('hr.employees.list', JSON.stringify({ companyId }), {
        timeout: 5_000,
      })
    ).json<{
      ok: boolean;
      data: { items: Employee[] };
    }>();
    expect(reply.data.items.map((e) => e.id)).toContain(ann.id); // the subject is the real one

    for (const identity of ['notifier', 'lms-connector', 'employee-events-reader']) {
      const probe = await as(identity);
      await expect(
        probe.nc
          .request('hr.employees.list', JSON.stringify({ companyId }), { timeout: 1_000 })
          .then((m) => m.string()),
      ).rejects.toThrow();
      await refusedTo(probe, 'publish hr.employees.list');
    }
  });

  it('lets no other identity change an employee: hr.employees.upsert-from-lms', async () => {
    const change = { companyId, employeeId: ann.id, sourceLmsUserId: '999', firstName: 'Mallory' };
    for (const identity of ['notifier', 'lms-connector', 'hr-service', 'employee-events-reader']) {
      const probe = await as(identity);
      await expect(
        probe.nc
          .request('hr.employees.upsert-from-lms', JSON.stringify(change), { timeout: 1_000 })
          .then((m) => m.string()),
      ).rejects.toThrow();
      await refusedTo(probe, 'publish hr.employees.upsert-from-lms');
    }
    const after = await hr.expect<Employee>(200, 'GET', `/employees/${ann.id}`);
    expect(after.firstName).toBe('Ann');
  });

  it('lets no one but the owner publish employee.*, sync.* or company.* events', async () => {
    const [employeeSeq, syncSeq, companySeq] = [
      await lastSeq(Streams.employee.name, 'hr-service'),
      await lastSeq(Streams.sync.name, 'sync-orchestrator'),
      await lastSeq(Streams.company.name, 'hr-service'),
    ];
    const forged = {
      eventId: 'forged',
      type: 'employee.updated',
      companyId,
      version: 2_000_000_000,
    };
    const on = eventSubject;
    const attempts: [string, string][] = [
      ['notifier', on('employee.updated', companyId)],
      ['sync-orchestrator', on('employee.updated', companyId)],
      ['lms-connector', on('employee.hired', companyId)],
      ['employee-events-reader', on('employee.updated', companyId)],
      ['hr-service', on('sync.run.completed', companyId)],
      ['notifier', on('sync.run.completed', companyId)],
      ['lms-connector', on('sync.run.failed', companyId)],
      ['employee-events-reader', on('sync.run.completed', companyId)],
      // company.* is hr-service's alone: nobody else can delete or purge a company
      ['sync-orchestrator', on('company.deleted', companyId)],
      ['notifier', on('company.purged', companyId)],
    ];
    for (const [identity, subject] of attempts) {
      const probe = await as(identity);
      await expect(
        jetstream(probe.nc)
          .publish(subject, JSON.stringify(forged), { timeout: 1_000 })
          .then((ack) => ack.seq),
      ).rejects.toThrow();
      await refusedTo(probe, `publish ${subject}`);
    }
    expect(await lastSeq(Streams.employee.name, 'hr-service')).toBe(employeeSeq);
    expect(await lastSeq(Streams.sync.name, 'sync-orchestrator')).toBe(syncSeq);
    expect(await lastSeq(Streams.company.name, 'hr-service')).toBe(companySeq);
  });

  it("lets no identity answer, or overhear, another service's requests and replies", async () => {
    const attempts: [string, string, string?][] = [
      ['notifier', 'lms.>', 'lms-connector'],
      ['notifier', 'hr.>', 'hr-service'],
      ['lms-connector', 'hr.employees.list', 'hr-service'],
      ['hr-service', 'lms.users.create', 'lms-connector'],
      ['sync-orchestrator', 'hr.employees.list'],
      ['employee-events-reader', 'lms.>'],
      // the replies of hr.employees.list go to the caller's inbox
      ['notifier', '_INBOX.>'],
      ['lms-connector', '_INBOX.sync-orchestrator.>'],
      ['employee-events-reader', '_INBOX.>'],
    ];
    for (const [identity, subject, queue] of attempts) {
      const probe = await as(identity);
      probe.nc.subscribe(subject, queue ? { queue } : {});
      await refusedTo(probe, `subscription ${subject}`);
    }
  });

  it('lets the read-only identity receive employee.* events, live and from the stream, and do nothing else', async () => {
    const reader = await as('employee-events-reader');
    const live: { subject: string; type: string; id: string }[] = [];
    reader.nc.subscribe('employee.>', {
      callback: (_error, msg) => {
        const event = msg.json<{ type: string; employee: { id: string } }>();
        live.push({ subject: msg.subject, type: event.type, id: event.employee?.id });
      },
    });
    await reader.nc.flush();
    const bob = await hire('Bob');
    const heard = await waitFor('employee.hired of Bob', () =>
      live.find((event) => event.id === bob.id),
    );
    expect(heard).toEqual({
      subject: eventSubject('employee.hired', companyId),
      type: 'employee.hired',
      id: bob.id,
    });

    // A durable consumer of its own name: catching up after downtime.
    const jsm = await jetstreamManager(reader.nc);
    await jsm.consumers.add(Streams.employee.name, {
      durable_name: 'employee-events-reader',
      ack_policy: AckPolicy.Explicit,
      filter_subject: 'employee.>',
    });
    const consumer = await jetstream(reader.nc).consumers.get(
      Streams.employee.name,
      'employee-events-reader',
    );
    const ids: string[] = [];
    for await (const msg of await consumer.fetch({ max_messages: 10, expires: 2_000 })) {
      ids.push(msg.json<{ employee: { id: string } }>().employee.id);
      msg.ack();
    }
    expect(ids).toEqual(expect.arrayContaining([ann.id, bob.id]));

    for (const subject of [
      '$JS.API.STREAM.DELETE.EMPLOYEE',
      '$JS.API.STREAM.PURGE.EMPLOYEE',
      '$JS.API.CONSUMER.DELETE.EMPLOYEE.sync-orchestrator',
      '$JS.API.CONSUMER.CREATE.EMPLOYEE.sync-orchestrator.employee.>',
      'hr.training.store',
    ]) {
      reader.nc.publish(subject, '{}');
      await refusedTo(reader, `publish ${subject}`);
    }
    reader.nc.subscribe('sync.>');
    await refusedTo(reader, 'subscription sync.>');
  });

  it('works end to end with every service on its own identity: a hire reaches TalentLMS', async () => {
    const cleo = await hire('Cleo');
    await waitFor(
      'Cleo in the simulator',
      async () =>
        (await sim.state()).users.find(
          (u) => u.email.toLowerCase() === cleo.email.toLowerCase() && u.status === 'active',
        ),
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    // The notifier read the run events of the initial sync through its own consumer.
    const metrics = await (await fetch(`${system.url('notifier')}/metrics`)).text();
    expect(metrics).toMatch(
      /jetstream_consumer_pending_messages\{stream="SYNC",durable="notifier"\} 0/,
    );
    expect(system.allLogs()).not.toMatch(/Permissions Violation|Authorization Violation/i);
  });
});
