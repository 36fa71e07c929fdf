import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { Injectable } from '@nestjs/common';
import { urlencoded } from 'express';
import { portalFromHost, portalFromPath } from '../portals/portal-address';
import { PortalRegistry } from '../portals/portal-registry.service';
import { PortalApiService } from './portal-api.service';
import { fastCall } from './portal-fast-path';
import { phpJson } from './php-json';
import { PortalReplyWriter } from './portal-reply.writer';

/** A portal API call as Express (or the fast path) has read it. */
export interface PortalHttpCall {
  /** Without the query string, still %-encoded. */
  path: string;
  hostname: string | undefined;
  query: Record<string, unknown>;
  body: Record<string, string>;
}

/** Clients POST form-encoded bodies (multipart ones are read by readPortalBody). */
export const formParser = urlencoded({ extended: false, limit: '1mb' });

/**
 * Serves one portal API call on the portal the path prefix or the host names: the one place
 * PortalController and the fast path (`listener`) both answer through.
 */
@Injectable()
export class PortalHttp {
  constructor(
    private readonly api: PortalApiService,
    private readonly portals: PortalRegistry,
    private readonly writer: PortalReplyWriter,
  ) {}

  async serve(request: IncomingMessage, response: ServerResponse, call: PortalHttpCall) {
    const prefixed = portalFromPath(call.path);
    const name = prefixed.name ?? portalFromHost(call.hostname);
    const portal = this.portals.find(name);
    if (!portal) {
      // Not a TalentLMS wording: a real unknown subdomain never reaches an API.
      const body = phpJson({
        error: { type: 'invalid_request_error', message: `No portal named ${name}` },
      });
      response.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8' });
      response.end(body);
      return;
    }
    const reply = await this.api.handle(portal, {
      method: request.method ?? 'GET',
      path: prefixed.path,
      query: call.query,
      body: call.body,
      authorization: request.headers.authorization,
    });
    await this.writer.write(request, response, reply);
  }

  /**
   * The HTTP server's listener: the portal API's plain calls (fastCall) answered here, ahead
   * of Express and its middleware (trace, metrics, request log, routing), the same way
   * PortalController answers them; everything else goes to `next` (the Express app).
   */
  listener(next: RequestListener): RequestListener {
    return (request, response) => {
      const call = fastCall(request.method, request.url, request.headers);
      if (!call) return void next(request, response);
      const serve = (body: Record<string, string>) =>
        this.serve(request, response, { ...call, body }).catch(() => {
          // The Express way's exception filter would answer 500; here the action threw
          // before anything was written, so the same status goes back.
          if (!response.headersSent) response.writeHead(500).end();
        });
      if (!call.form) return void serve({});
      // The same form parser as the Express way. Its only refusals left for a small UTF-8
      // body of known length are a client that breaks off or sends another length: the
      // exchange is broken off too.
      const withBody = request as IncomingMessage & { body?: Record<string, string> };
      formParser(withBody as never, response as never, (error?: unknown) => {
        if (error) return void request.socket.destroy();
        void serve(withBody.body ?? {});
      });
    };
  }
}
