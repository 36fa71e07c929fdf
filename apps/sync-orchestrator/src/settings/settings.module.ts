import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GatewaysModule } from '../gateways/gateways.module';
import { Integration } from './integration.entity';
import { IntegrationService } from './integration.service';
import { SyncSwitch } from './sync-switch';
import { UnboundKeyUpgrade } from './unbound-key-upgrade';

export const SETTINGS_ENTITIES = [Integration];

/** The integration's settings (portal, sealed key, direction, schedule) and its on/off switch. */
@Module({
  imports: [TypeOrmModule.forFeature(SETTINGS_ENTITIES), GatewaysModule],
  providers: [IntegrationService, SyncSwitch, UnboundKeyUpgrade],
  exports: [IntegrationService, SyncSwitch],
})
export class SettingsModule {}
