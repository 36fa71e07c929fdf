import { existsSync, readFileSync } from 'node:fs';
import { createServer, Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DEFAULT_TLS_PORT, SimEnv } from '../config/sim.env';

/** Where the committed test certificate is, from the source tree, dist/ or a Docker image. */
function defaultTlsFile(name: string): string {
  const candidates = [
    join(__dirname, 'tls', name),
    join(__dirname, '../../tls', name),
    join(__dirname, '../../../apps/talentlms-sim/tls', name),
    join(process.cwd(), 'apps/talentlms-sim/tls', name),
  ];
  return candidates.find((path) => existsSync(path)) ?? candidates[candidates.length - 1];
}

function readPem(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new Error(`${variable} ${path} cannot be read: ${(error as Error).message}`);
  }
}

/**
 * The same API over HTTPS (the real portal only accepts HTTPS), on SIM_TLS_PORT with the
 * committed self-signed test certificate: one Express app, two listeners.
 */
@Injectable()
export class TlsServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(TlsServer.name);
  private server?: Server;

  constructor(
    private readonly env: SimEnv,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** The bound HTTPS port; null when HTTPS is off. */
  get port(): number | null {
    return this.server ? (this.server.address() as AddressInfo).port : null;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.env.SIM_TLS) return;
    const server = createServer(
      {
        cert: readPem('SIM_TLS_CERT', this.env.SIM_TLS_CERT ?? defaultTlsFile('sim-cert.pem')),
        key: readPem('SIM_TLS_KEY', this.env.SIM_TLS_KEY ?? defaultTlsFile('sim-key.pem')),
      },
      this.adapterHost.httpAdapter.getInstance(),
    );
    const port = this.env.SIM_TLS_PORT ?? DEFAULT_TLS_PORT;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, this.env.HOST, () => resolve());
      });
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      if (this.env.SIM_TLS_PORT !== undefined) {
        throw new Error(`SIM_TLS_PORT ${port}: cannot listen (${reason})`);
      }
      this.log.warn(`HTTPS port ${port} is not available (${reason}): serving HTTP only`);
      return;
    }
    this.server = server;
    this.log.log(`HTTPS on port ${this.port}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
