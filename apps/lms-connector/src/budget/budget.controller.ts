import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import { PlatformOnly } from '@talentsync/shared/http';
import { BudgetReport, BudgetReportService } from './budget-report.service';

/**
 * For operators: each portal's call budget and circuit. The platform token only: a portal may
 * serve several companies.
 */
@ApiBearerAuth()
@PlatformOnly()
@Controller('budgets')
export class BudgetController {
  constructor(private readonly reports: BudgetReportService) {}

  @Get()
  @ApiOperation({ summary: "Every portal's hourly and short-window budget and circuit state" })
  async list(): Promise<{ items: BudgetReport[] }> {
    return { items: await this.reports.all() };
  }
}
