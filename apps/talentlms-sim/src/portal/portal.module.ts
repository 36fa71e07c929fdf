import { MiddlewareConsumer, Module, NestModule, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { RequestListener, Server } from 'node:http';
import { PortalApiService } from './portal-api.service';
import { formParser, PortalHttp } from './portal-http.service';
import { PortalReplyWriter } from './portal-reply.writer';
import { PortalController } from './portal.controller';

/** The TalentLMS API v1 under /api (and /portals/<name>/api). */
@Module({
  controllers: [PortalController],
  providers: [PortalApiService, PortalReplyWriter, PortalHttp],
})
export class PortalModule implements NestModule, OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly http: PortalHttp,
  ) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(formParser).forRoutes(PortalController);
  }

  /** The HTTP server answers the portal API's plain calls itself (PortalHttp.listener). */
  onModuleInit(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server) return;
    const [express] = server.listeners('request') as RequestListener[];
    if (!express) return;
    server.removeListener('request', express);
    server.on('request', this.http.listener(express));
  }
}
