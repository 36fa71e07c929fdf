import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Logger,
  Post,
  Put,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RunLauncher } from '../sync/run-launcher.service';
import { IntegrationSettingsDto, PortalCredentialsDto } from './integration.dto';
import { IntegrationService } from './integration.service';

@ApiTags('integration')
@ApiBearerAuth()
@Controller('integrations/talentlms')
export class IntegrationController {
  private readonly logger = new Logger(IntegrationController.name);

  constructor(
    private readonly integrations: IntegrationService,
    private readonly launcher: RunLauncher,
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
  async save(@Body() dto: IntegrationSettingsDto) {
    const { integration, activated } = await this.integrations.save(dto);
    let initialRunId: string | undefined;
    if (activated) {
      try {
        initialRunId = (await this.launcher.launch({ trigger: 'initial' })).id;
      } catch (error) {
        this.logger.warn(
          `Integration activated, but the initial sync could not start: ${(error as Error).message}`,
        );
      }
    }
    return { ...this.integrations.toView(integration), ...(initialRunId ? { initialRunId } : {}) };
  }

  @Delete()
  deactivate() {
    return this.integrations.deactivate();
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
