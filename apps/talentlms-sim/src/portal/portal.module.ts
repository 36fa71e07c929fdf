import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { urlencoded } from 'express';
import { BranchesActions } from './actions/branches.actions';
import { CoursesActions } from './actions/courses.actions';
import { PortalLookups } from './actions/portal-lookups';
import { SiteActions } from './actions/site.actions';
import { UsersActions } from './actions/users.actions';
import { PortalApiService } from './portal-api.service';
import { PortalReplyWriter } from './portal-reply.writer';
import { PortalViews } from './portal-views';
import { PortalController } from './portal.controller';

/** The TalentLMS API v1 under /api. */
@Module({
  controllers: [PortalController],
  providers: [
    PortalApiService,
    PortalReplyWriter,
    PortalViews,
    PortalLookups,
    UsersActions,
    CoursesActions,
    BranchesActions,
    SiteActions,
  ],
})
export class PortalModule implements NestModule {
  /** Clients POST form-encoded bodies (JSON bodies are parsed for every route already). */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(urlencoded({ extended: false, limit: '1mb' })).forRoutes(PortalController);
  }
}
