import { Module } from '@nestjs/common';
import { TalentLmsModule } from '../talentlms/talentlms.module';
import { CoursesConsumer } from './courses.consumer';
import { CoursesService } from './courses.service';

@Module({
  imports: [TalentLmsModule],
  controllers: [CoursesConsumer],
  providers: [CoursesService],
})
export class CoursesModule {}
