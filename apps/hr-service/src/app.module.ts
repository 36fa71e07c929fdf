import { DynamicModule, Module } from '@nestjs/common';
import { QueueGroups, Streams } from '@talentsync/contracts';
import { ServiceOptions, ServicePlatformModule } from '@talentsync/shared/http';
import { HrEnv } from './config/hr.env';
import { COMPANY_ENTITIES, CompaniesModule } from './companies/companies.module';
import { Employee } from './employees/employee.entity';
import { EmployeesModule } from './employees/employees.module';
import { ssnSeal } from './employees/ssn-seal';
import { migrations } from './migrations';
import { TokensModule } from './tokens/tokens.module';
import { TRAINING_ENTITIES, TrainingModule } from './training/training.module';

export const SERVICE_NAME = 'hr-service';

/** How main.ts and the integration tests build the service: the same options for both. */
export const SERVICE_OPTIONS: ServiceOptions = {
  name: SERVICE_NAME,
  rpcQueue: QueueGroups.hrService,
  openApi: {
    title: 'TalentSync hr-service',
    description:
      "Companies, and each company's employees, hires, terminations and training. Publishes " +
      'employee.* and company.* events; answers hr.* requests over NATS.',
  },
  // Employee bodies are small; anything near this is a mistake or an attack (413).
  bodyLimit: '100kb',
};

export const HR_ENTITIES = [Employee, ...TRAINING_ENTITIES, ...COMPANY_ENTITIES];

@Module({})
export class AppModule {
  static forRoot(env: HrEnv): DynamicModule {
    // Before the data source starts: migrations and the ssn column seal with it.
    ssnSeal.configure(env.ssnKeys);
    return {
      module: AppModule,
      imports: [
        ServicePlatformModule.forRoot({
          service: SERVICE_NAME,
          envClass: HrEnv,
          env,
          data: { entities: HR_ENTITIES, migrations },
          outbox: true,
          streams: { publishes: [Streams.employee, Streams.company] },
          companyAccess: 'local',
        }),
        EmployeesModule,
        TrainingModule,
        CompaniesModule,
        TokensModule,
      ],
    };
  }
}
