import { All, Controller, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { readPortalBody } from './portal-body';
import { PortalHttp } from './portal-http.service';

/**
 * The portal API: everything under /api (and /portals/<name>/api) that the fast path leaves
 * to Express (PortalHttp.listener), on the portal the host or the path prefix names.
 */
@Controller()
export class PortalController {
  constructor(private readonly http: PortalHttp) {}

  @All(['api', 'api/*path', 'portals/:portal/api', 'portals/:portal/api/*path'])
  async handle(@Req() request: Request, @Res() response: Response): Promise<void> {
    await this.http.serve(request, response, {
      path: request.path,
      hostname: request.hostname,
      query: request.query as Record<string, unknown>,
      body: await readPortalBody(request),
    });
  }
}
