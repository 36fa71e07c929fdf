import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as connectSocket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { natsClientOptions } from '@talentsync/shared/config';
import { waitFor } from './wait-for';

// The bus's identities and config, as npm start and npm test use them (plain CommonJS beside
// the scripts, outside the Nx graph).
const natsScripts = require(join(__dirname, '../../../../../scripts/lib/nats-server.cjs')) as {
  NATS_CONFIG: string;
  IDENTITIES: string[];
  ensurePasswords(): void;
  identityEnv(name: string): Record<string, string>;
};

/** The users of deploy/nats/nats-server.conf. */
export const NATS_IDENTITIES = natsScripts.IDENTITIES;

/** NATS_USER/NATS_PASSWORD of an identity of the shipped config (passwords of this process). */
export function natsIdentityEnv(identity: string): Record<string, string> {
  natsScripts.ensurePasswords();
  const env = natsScripts.identityEnv(identity);
  if (!env.NATS_USER) throw new Error(`${identity} is not a user of deploy/nats/nats-server.conf`);
  return env;
}

/**
 * A test client on the bus as `identity` (a user of the shipped config, with the inbox only it
 * may read), or `anonymous`: the one way tests open a raw NATS connection, so each says who
 * it is and the server decides what it may do.
 */
export async function connectAs(
  natsUrl: string,
  identity: string | 'anonymous',
): Promise<NatsConnection> {
  const env = identity === 'anonymous' ? {} : natsIdentityEnv(identity);
  return connect({
    ...natsClientOptions({ NATS_URL: natsUrl, ...env }, `test-${identity}`),
    timeout: 3_000,
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const portAnswers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connectSocket(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/**
 * A NATS server with JetStream that only this test uses, so it can be stopped and started
 * (outage tests) without disturbing anyone else. Needs the `nats-server` binary on PATH.
 * `secured`: it runs the shipped authorization config (deploy/nats/nats-server.conf), and
 * clients connect with an identity (natsIdentityEnv, connectAs).
 */
export class PrivateNatsServer {
  private process?: ChildProcess;
  private readonly storeDir = mkdtempSync(join(tmpdir(), 'nats-'));

  private constructor(
    readonly port: number,
    readonly secured: boolean,
  ) {}

  static async start(options: { secured?: boolean } = {}): Promise<PrivateNatsServer> {
    const server = new PrivateNatsServer(await freePort(), options.secured ?? false);
    await server.resume();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async resume(): Promise<void> {
    if (this.secured) natsScripts.ensurePasswords();
    const config = this.secured ? ['-c', natsScripts.NATS_CONFIG] : [];
    // The passwords are in this process's env (jest's own copy: pass it on explicitly).
    this.process = spawn(
      'nats-server',
      [...config, '-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.storeDir],
      { stdio: ['ignore', 'ignore', 'pipe'], env: process.env },
    );
    const child = this.process;
    let errors = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
    // It must not keep jest running; stopping it is the test's job (stop()).
    child.unref();
    (child.stderr as { unref?: () => void } | null)?.unref?.();
    child.once('error', (error) => {
      throw new Error(`Could not start nats-server (is it installed?): ${error.message}`);
    });
    await waitFor(`nats-server on port ${this.port}`, () => {
      if (child.exitCode !== null) throw new Error(`nats-server exited: ${errors.slice(-500)}`);
      return portAnswers(this.port);
    });
  }

  async pause(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
    this.process = undefined;
  }

  async stop(): Promise<void> {
    await this.pause();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}
