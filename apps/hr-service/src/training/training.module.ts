import { Module } from '@nestjs/common';
import { EmployeesModule } from '../employees/employees.module';
import { EnrolmentRequestEntity } from './enrolment-request.entity';
import { TrainingRecordEntity } from './training-record.entity';
import { TrainingConsumer } from './training.consumer';
import { TrainingController } from './training.controller';
import { TrainingService } from './training.service';

export const TRAINING_ENTITIES = [TrainingRecordEntity, EnrolmentRequestEntity];

@Module({
  imports: [EmployeesModule],
  controllers: [TrainingController, TrainingConsumer],
  providers: [TrainingService],
})
export class TrainingModule {}
