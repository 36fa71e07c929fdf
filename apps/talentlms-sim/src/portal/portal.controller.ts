import { All, Controller, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PortalApiService } from './portal-api.service';
import { PortalReplyWriter } from './portal-reply.writer';

/** The portal API: everything under /api, routed the portal's way by PortalApiService. */
@Controller('api')
export class PortalController {
  constructor(
    private readonly api: PortalApiService,
    private readonly writer: PortalReplyWriter,
  ) {}

  @All(['', '*path'])
  async handle(@Req() request: Request, @Res() response: Response): Promise<void> {
    const reply = await this.api.handle({
      method: request.method,
      path: request.path,
      query: request.query as Record<string, unknown>,
      body: request.body,
      authorization: request.headers.authorization,
    });
    await this.writer.write(request, response, reply);
  }
}
