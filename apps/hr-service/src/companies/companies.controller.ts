import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CompanyParams, PlatformOnly } from '@talentsync/shared/http';
import {
  CompanyDto,
  CompanyPage,
  CompanyView,
  DeleteCompanyQuery,
  ListCompaniesQuery,
} from './companies.dto';
import { CompaniesService } from './companies.service';

/** The platform's companies: the platform token only (a company token: 403 on its own, 404 on another). */
@ApiTags('companies')
@ApiBearerAuth()
@PlatformOnly()
@Controller('companies')
export class CompaniesController {
  constructor(private readonly companies: CompaniesService) {}

  @Post()
  @ApiCreatedResponse({ type: CompanyView })
  async create(@Body() body: CompanyDto): Promise<CompanyView> {
    return CompanyView.of(await this.companies.create(body));
  }

  /** Companies not deleted, oldest first. */
  @Get()
  @ApiOkResponse({ type: CompanyPage })
  async list(@Query() query: ListCompaniesQuery): Promise<CompanyPage> {
    const [rows, total] = await this.companies.list(query);
    return { items: rows.map(CompanyView.of), total, page: query.page, pageSize: query.pageSize };
  }

  @Get(':companyId')
  @ApiOkResponse({ type: CompanyView })
  @ApiNotFoundResponse()
  async get(@Param() { companyId }: CompanyParams): Promise<CompanyView> {
    return CompanyView.of(await this.companies.get(companyId));
  }

  /** Sets the company name, owner and admins (all of it, every time). */
  @Put(':companyId')
  @ApiOkResponse({ type: CompanyView })
  @ApiNotFoundResponse()
  async put(@Param() { companyId }: CompanyParams, @Body() body: CompanyDto): Promise<CompanyView> {
    return CompanyView.of(await this.companies.put(companyId, body));
  }

  /** Gone for every API at once (`company.deleted`); its rows go later, or now with `?purge=true`. */
  @Delete(':companyId')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  async remove(
    @Param() { companyId }: CompanyParams,
    @Query() { purge }: DeleteCompanyQuery,
  ): Promise<void> {
    await this.companies.remove(companyId, purge);
  }
}
