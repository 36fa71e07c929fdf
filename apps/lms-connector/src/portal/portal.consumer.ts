import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CallBudgetRequest,
  CallBudgetResponse,
  ListBranchesRequest,
  ListBranchesResponse,
  ListCustomFieldsRequest,
  ListCustomFieldsResponse,
  LmsRequests,
  ResealKeyRequest,
  ResealKeyResponse,
  VerifyPortalRequest,
  VerifyPortalResponse,
} from '@talentsync/contracts';
import { BudgetReportService } from '../budget/budget-report.service';
import { PortalAccess } from './portal-access.service';
import { PortalService } from './portal.service';

/**
 * `lms.portal.verify`, `lms.branches.list`, `lms.custom-fields.list`, `lms.budget.get`,
 * `lms.portal.reseal-key`.
 */
@Controller()
export class PortalConsumer {
  constructor(
    private readonly access: PortalAccess,
    private readonly portal: PortalService,
    private readonly budgets: BudgetReportService,
  ) {}

  @MessagePattern(LmsRequests.verifyPortal)
  verify(@Payload() request: VerifyPortalRequest): Promise<VerifyPortalResponse> {
    return this.access.serve(LmsRequests.verifyPortal, request, (session) =>
      this.portal.verify(session),
    );
  }

  @MessagePattern(LmsRequests.listBranches)
  branches(@Payload() request: ListBranchesRequest): Promise<ListBranchesResponse> {
    return this.access.serve(LmsRequests.listBranches, request, (session) =>
      this.portal.branches(session),
    );
  }

  @MessagePattern(LmsRequests.listCustomFields)
  customFields(@Payload() request: ListCustomFieldsRequest): Promise<ListCustomFieldsResponse> {
    return this.access.serve(LmsRequests.listCustomFields, request, (session) =>
      this.portal.customFields(session, request.cached),
    );
  }

  @MessagePattern(LmsRequests.callBudget)
  budget(@Payload() request: CallBudgetRequest): Promise<CallBudgetResponse> {
    return this.access.serve(LmsRequests.callBudget, request, (session) =>
      this.budgets.report(session.host),
    );
  }

  @MessagePattern(LmsRequests.resealKey)
  resealKey(@Payload() request: ResealKeyRequest): ResealKeyResponse {
    return this.access.reseal(LmsRequests.resealKey, request);
  }
}
