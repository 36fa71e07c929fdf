import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import type { IncomingMessage as Request, ServerResponse as Response } from 'node:http';
import { PortalReply } from './portal-api.service';

/**
 * Writes portal answers, carrying out timeout-after-commit: `drop` closes the connection,
 * `hang` holds the answer (sent afterwards if the client is still there). Held answers are
 * cut at shutdown so stopping never waits for them.
 */
@Injectable()
export class PortalReplyWriter implements BeforeApplicationShutdown {
  private readonly held = new Set<Response>();

  async write(request: Request, response: Response, reply: PortalReply): Promise<void> {
    if (reply.timeout?.mode === 'drop') {
      request.socket.destroy();
      return;
    }
    if (reply.timeout?.mode === 'hang') {
      await this.hold(response, reply.timeout.holdMs);
      if (response.destroyed || request.socket.destroyed) return;
    }
    response.writeHead(reply.status, reply.headers);
    response.end(reply.body);
  }

  beforeApplicationShutdown(): void {
    for (const response of this.held) response.destroy();
  }

  private hold(response: Response, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        response.off('close', done);
        this.held.delete(response);
        resolve();
      };
      const timer = setTimeout(done, ms);
      response.once('close', done);
      this.held.add(response);
    });
  }
}
