import { Module } from '@nestjs/common';
import { EmployeeRecordsService } from './employee-records.service';
import { EmployeesConsumer } from './employees.consumer';
import { EmployeesController } from './employees.controller';
import { EmployeesService } from './employees.service';
import { TerminationScheduler } from './termination-scheduler.service';

@Module({
  controllers: [EmployeesController, EmployeesConsumer],
  providers: [EmployeesService, EmployeeRecordsService, TerminationScheduler],
  exports: [EmployeesService],
})
export class EmployeesModule {}
