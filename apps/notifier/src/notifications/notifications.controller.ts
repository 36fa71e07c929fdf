import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CompanyId } from '@talentsync/shared/http';
import {
  ListNotificationsQuery,
  NotificationPage,
  NotificationView,
  RunIdParams,
} from './notifications.dto';
import { NotificationsService } from './notifications.service';

/**
 * A company's notification log. The guard answers 404 for a company the caller may not see
 * (another company's token, an unknown or malformed id) before anything here runs.
 */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('companies/:companyId/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  /** The company's notification log, newest first. */
  @Get()
  @ApiOkResponse({ type: NotificationPage })
  list(
    @CompanyId() companyId: string,
    @Query() query: ListNotificationsQuery,
  ): Promise<NotificationPage> {
    return this.notifications.list(companyId, query);
  }

  /** The e-mail about one of its runs; 404 when there is none (only automatic runs are e-mailed). */
  @Get(':runId')
  @ApiOkResponse({ type: NotificationView })
  get(@CompanyId() companyId: string, @Param() { runId }: RunIdParams): Promise<NotificationView> {
    return this.notifications.get(companyId, runId);
  }
}
