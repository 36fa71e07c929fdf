import { Module } from '@nestjs/common';
import { TalentLmsModule } from '../talentlms/talentlms.module';
import { UsersConsumer } from './users.consumer';
import { UsersService } from './users.service';

@Module({
  imports: [TalentLmsModule],
  controllers: [UsersConsumer],
  providers: [UsersService],
})
export class UsersModule {}
