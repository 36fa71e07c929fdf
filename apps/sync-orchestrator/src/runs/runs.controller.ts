import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CompanyId, INTEGRATION_PATH } from '../company-id';
import { RunLauncher } from './run-launcher.service';
import { SyncExecutor } from './sync-executor.service';
import { PageQuery, RunIdParams, RunItemsQuery, SyncQuery } from './runs.dto';
import { itemView, runView } from './run-view';
import { RunsService } from './runs.service';

@ApiTags('sync runs')
@ApiBearerAuth()
@Controller(INTEGRATION_PATH)
export class RunsController {
  constructor(
    private readonly runs: RunsService,
    private readonly launcher: RunLauncher,
    private readonly executor: SyncExecutor,
  ) {}

  /** Manual sync: 202 {runId}; 409 while another runs. `?dryRun=true`: 200 with the plan, nothing written. */
  @Post('sync')
  async sync(
    @CompanyId() companyId: string,
    @Query() query: SyncQuery,
    @Res({ passthrough: true }) response: Response,
  ) {
    if (query.dryRun) {
      const plan = await this.executor.dryRun(companyId, { employeeId: query.employeeId });
      response.status(HttpStatus.OK);
      return {
        dryRun: true,
        counts: plan.counts,
        apiCalls: plan.apiCalls,
        brake: plan.brake,
        attributeNotes: plan.attributeNotes,
        items: plan.items.map(({ payload: _sensitive, ...item }) => item),
      };
    }
    const run = await this.launcher.launchManual(companyId, query.employeeId);
    response.status(HttpStatus.ACCEPTED);
    return { runId: run.id };
  }

  @Get('runs')
  async list(@CompanyId() companyId: string, @Query() query: PageQuery) {
    const { items, total } = await this.runs.list(companyId, query.page, query.pageSize);
    return { items: items.map(runView), total, page: query.page, pageSize: query.pageSize };
  }

  @Get('runs/:id')
  async get(
    @CompanyId() companyId: string,
    @Param() { id }: RunIdParams,
    @Query() query: RunItemsQuery,
  ) {
    const run = await this.runs.get(companyId, id);
    const { items, total } = await this.runs.items(
      companyId,
      id,
      query.itemsPage,
      query.itemsPageSize,
    );
    return {
      ...runView(run),
      items: items.map(itemView),
      itemsTotal: total,
      itemsPage: query.itemsPage,
      itemsPageSize: query.itemsPageSize,
    };
  }

  /** Lets a run held by the safety brake go on. */
  @Post('runs/:id/approve')
  @HttpCode(HttpStatus.ACCEPTED)
  async approve(@CompanyId() companyId: string, @Param() { id }: RunIdParams) {
    return runView(await this.launcher.approve(companyId, id));
  }

  /** Ends a held run without writing anything. */
  @Post('runs/:id/reject')
  async reject(@CompanyId() companyId: string, @Param() { id }: RunIdParams) {
    return runView(await this.runs.reject(companyId, id));
  }
}
