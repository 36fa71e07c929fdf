import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Put } from '@nestjs/common';
import { CompanyId, INTEGRATION_PATH } from '../company-id';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { IntegrationSettingsDto, PortalCredentialsDto } from '../settings/integration.dto';
import { IntegrationService } from '../settings/integration.service';
import { IntegrationLifecycle } from './integration-lifecycle.service';

@ApiTags('integration')
@ApiBearerAuth()
@Controller(INTEGRATION_PATH)
export class IntegrationController {
  constructor(
    private readonly integrations: IntegrationService,
    private readonly lifecycle: IntegrationLifecycle,
  ) {}

  @Get()
  get(@CompanyId() companyId: string) {
    return this.integrations.view(companyId);
  }

  /**
   * Verifies, then saves. The first successful save activates the integration and starts the
   * initial sync at once (its id is returned as `initialRunId`).
   */
  @Put()
  save(@CompanyId() companyId: string, @Body() dto: IntegrationSettingsDto) {
    return this.lifecycle.save(companyId, dto);
  }

  @Delete()
  deactivate(@CompanyId() companyId: string) {
    return this.lifecycle.deactivate(companyId);
  }

  /** Checks a portal URL and key without saving; lists the portal's branches. */
  @Post('test')
  @HttpCode(HttpStatus.OK)
  test(@CompanyId() companyId: string, @Body() dto: PortalCredentialsDto) {
    return this.integrations.test(companyId, dto);
  }

  /**
   * Re-seals the stored API key with lms-connector's current SETTINGS_ENCRYPTION_KEY (run after
   * a key rotation: `npm run keys:reseal`); the key itself never leaves lms-connector.
   */
  @Post('reseal-key')
  @HttpCode(HttpStatus.OK)
  resealKey(@CompanyId() companyId: string) {
    return this.integrations.resealKeys(companyId);
  }
}
