import { All, Controller, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { portalFromHost, portalFromPath } from '../portals/portal-address';
import { PortalRegistry } from '../portals/portal-registry.service';
import { readPortalBody } from './portal-body';
import { phpJson } from './php-json';
import { PortalApiService } from './portal-api.service';
import { PortalReplyWriter } from './portal-reply.writer';

/**
 * The portal API: everything under /api (and /portals/<name>/api), routed the portal's way
 * by PortalApiService, on the portal the host or the path prefix names.
 */
@Controller()
export class PortalController {
  constructor(
    private readonly api: PortalApiService,
    private readonly portals: PortalRegistry,
    private readonly writer: PortalReplyWriter,
  ) {}

  @All(['api', 'api/*path', 'portals/:portal/api', 'portals/:portal/api/*path'])
  async handle(@Req() request: Request, @Res() response: Response): Promise<void> {
    const prefixed = portalFromPath(request.path);
    const name = prefixed.name ?? portalFromHost(request.hostname);
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
      method: request.method,
      path: prefixed.path,
      query: request.query as Record<string, unknown>,
      body: await readPortalBody(request),
      authorization: request.headers.authorization,
    });
    await this.writer.write(request, response, reply);
  }
}
