import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { IntegrationSettingsDto, PortalCredentialsDto } from '../settings/integration.dto';
import { IntegrationService } from '../settings/integration.service';
import { IntegrationLifecycle } from './integration-lifecycle.service';

@ApiTags('integration')
@ApiBearerAuth()
@Controller('integrations/talentlms')
export class IntegrationController {
  constructor(
    private readonly integrations: IntegrationService,
    private readonly lifecycle: IntegrationLifecycle,
  ) {}

  @Get()
  get() {
    return this.integrations.view();
  }

  /**
   * Verifies, then saves. The first successful save activates the integration and starts the
   * initial sync at once (its id is returned as `initialRunId`).
   */
  @Put()
  save(@Body() dto: IntegrationSettingsDto) {
    return this.lifecycle.save(dto);
  }

  @Delete()
  deactivate() {
    return this.lifecycle.deactivate();
  }

  /** Checks a portal URL and key without saving; lists the portal's branches. */
  @Post('test')
  @HttpCode(HttpStatus.OK)
  test(@Body() dto: PortalCredentialsDto) {
    return this.integrations.test(dto);
  }

  /**
   * Re-seals the stored API key with lms-connector's current SETTINGS_ENCRYPTION_KEY (run after
   * a key rotation: `npm run keys:reseal`); the key itself never leaves lms-connector.
   */
  @Post('reseal-key')
  @HttpCode(HttpStatus.OK)
  resealKey() {
    return this.integrations.resealKeys();
  }
}
