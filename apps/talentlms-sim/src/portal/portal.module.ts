import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { urlencoded } from 'express';
import { PortalApiService } from './portal-api.service';
import { PortalReplyWriter } from './portal-reply.writer';
import { PortalController } from './portal.controller';

/** The TalentLMS API v1 under /api (and /portals/<name>/api). */
@Module({
  controllers: [PortalController],
  providers: [PortalApiService, PortalReplyWriter],
})
export class PortalModule implements NestModule {
  /** Clients POST form-encoded bodies (multipart ones are read by readPortalBody). */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(urlencoded({ extended: false, limit: '1mb' })).forRoutes(PortalController);
  }
}
