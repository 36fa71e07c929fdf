import { Module } from '@nestjs/common';
import { HrClient } from './hr.client';
import { HrGateway } from './hr.gateway';
import { LmsClient } from './lms.client';
import { LmsGateway } from './lms.gateway';

/** hr-service and lms-connector behind their ports, one NATS driver each. */
@Module({
  providers: [
    { provide: LmsGateway, useClass: LmsClient },
    { provide: HrGateway, useClass: HrClient },
  ],
  exports: [LmsGateway, HrGateway],
})
export class GatewaysModule {}
