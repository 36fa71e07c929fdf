import { Module } from '@nestjs/common';
import { TalentLmsModule } from '../talentlms/talentlms.module';
import { PortalConsumer } from './portal.consumer';
import { PortalService } from './portal.service';

@Module({
  imports: [TalentLmsModule],
  controllers: [PortalConsumer],
  providers: [PortalService],
})
export class PortalModule {}
