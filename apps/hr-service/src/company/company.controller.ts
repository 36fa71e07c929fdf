import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CompanyDto, CompanyView } from './company.dto';
import { CompanyService } from './company.service';

@ApiTags('company')
@ApiBearerAuth()
@Controller('company')
export class CompanyController {
  constructor(private readonly company: CompanyService) {}

  @Get()
  @ApiOkResponse({ type: CompanyView })
  @ApiNotFoundResponse({ description: 'Not set up yet' })
  async get(): Promise<CompanyView> {
    return CompanyView.of(await this.company.get());
  }

  /** Sets the company name, owner and admins (all of it, every time). */
  @Put()
  @ApiOkResponse({ type: CompanyView })
  async put(@Body() body: CompanyDto): Promise<CompanyView> {
    return CompanyView.of(await this.company.put(body));
  }
}
