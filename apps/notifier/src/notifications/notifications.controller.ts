import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  ListNotificationsQuery,
  NotificationPage,
  NotificationView,
  RunIdParams,
} from './notifications.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  /** The notification log, newest first. */
  @Get()
  @ApiOkResponse({ type: NotificationPage })
  list(@Query() query: ListNotificationsQuery): Promise<NotificationPage> {
    return this.notifications.list(query);
  }

  /** The e-mail about one run; 404 when there is none (only automatic runs are e-mailed). */
  @Get(':runId')
  @ApiOkResponse({ type: NotificationView })
  get(@Param() params: RunIdParams): Promise<NotificationView> {
    return this.notifications.get(params.runId);
  }
}
