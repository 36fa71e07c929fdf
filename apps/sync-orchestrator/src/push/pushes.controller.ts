import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CompanyId, INTEGRATION_PATH } from '../company-id';
import { PushesQuery } from './pushes.dto';
import { PushService } from './push.service';

@ApiTags('instant pushes')
@ApiBearerAuth()
@Controller(`${INTEGRATION_PATH}/pushes`)
export class PushesController {
  constructor(private readonly pushes: PushService) {}

  /** What each instant push of an HR change did (newest first), failures with their reason. */
  @Get()
  async list(@CompanyId() companyId: string, @Query() query: PushesQuery) {
    const { items, total } = await this.pushes.list(companyId, query);
    return {
      items: items.map((p) => ({
        eventId: p.eventId,
        employeeId: p.employeeId,
        eventType: p.eventType,
        version: p.version,
        status: p.status,
        action: p.action ?? undefined,
        reason: p.reason,
        changes: p.changes,
        attempts: p.attempts,
        createdAt: p.createdAt.toISOString(),
      })),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }
}
