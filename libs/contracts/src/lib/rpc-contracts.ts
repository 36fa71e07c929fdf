import type {
  Company,
  GetCompanyRequest,
  TokenStatusRequest,
  TokenStatusResponse,
} from '../hr/company';
import type {
  EnrolmentRequestState,
  ListEnrolmentRequestsRequest,
  ListEnrolmentRequestsResponse,
  MarkEnrolmentRequestRequest,
} from '../hr/enrolment-requests.request';
import type { GetEmployeeRequest } from '../hr/get-employee.request';
import type { ListEmployeesRequest, ListEmployeesResponse } from '../hr/list-employees.request';
import type { ListTrainingRequest, ListTrainingResponse } from '../hr/list-training.request';
import type { StoreTrainingRequest, StoreTrainingResponse } from '../hr/store-training.request';
import type {
  UpsertEmployeeFromLmsRequest,
  UpsertEmployeeFromLmsResponse,
} from '../hr/upsert-employee-from-lms.request';
import type { CallBudgetRequest, CallBudgetResponse } from '../lms/call-budget.request';
import type {
  GetCourseRequest,
  GetCourseResponse,
  ListCoursesRequest,
  ListCoursesResponse,
} from '../lms/courses.request';
import type { CreateUserRequest, CreateUserResponse } from '../lms/create-user.request';
import type { EnrolUserRequest, EnrolUserResponse } from '../lms/enrol-user.request';
import type {
  FindUserByEmailRequest,
  GetUserRequest,
  LmsUserResponse,
} from '../lms/get-user.request';
import type { ListBranchesRequest, ListBranchesResponse } from '../lms/list-branches.request';
import type {
  ListCustomFieldsRequest,
  ListCustomFieldsResponse,
} from '../lms/list-custom-fields.request';
import type { ListUsersRequest, ListUsersResponse } from '../lms/list-users.request';
import type { ResealKeyRequest, ResealKeyResponse } from '../lms/reseal-key.request';
import type { SetUserStatusRequest, SetUserStatusResponse } from '../lms/set-user-status.request';
import type { UpdateUserRequest, UpdateUserResponse } from '../lms/update-user.request';
import type { VerifyPortalRequest, VerifyPortalResponse } from '../lms/verify-portal.request';
import type { GetRunRequest } from '../orchestrator/get-run.request';
import type { EmployeeRecord } from './employee';
import { HrRequests, LmsRequests, OrchestratorRequests } from './subjects';
import type { SyncRunEventPayload } from './sync-run';

/**
 * Every request/reply subject with what it takes and what it answers: the one place a caller
 * (`NatsRpcClient.request`) and a server (`@MessagePattern` + `@Payload()` class) agree on. A
 * contract change here fails to compile at every caller that no longer fits.
 */
export interface RpcContracts {
  [LmsRequests.verifyPortal]: { request: VerifyPortalRequest; reply: VerifyPortalResponse };
  [LmsRequests.listBranches]: { request: ListBranchesRequest; reply: ListBranchesResponse };
  [LmsRequests.listCustomFields]: {
    request: ListCustomFieldsRequest;
    reply: ListCustomFieldsResponse;
  };
  [LmsRequests.listUsers]: { request: ListUsersRequest; reply: ListUsersResponse };
  [LmsRequests.getUser]: { request: GetUserRequest; reply: LmsUserResponse };
  [LmsRequests.findUserByEmail]: { request: FindUserByEmailRequest; reply: LmsUserResponse };
  [LmsRequests.createUser]: { request: CreateUserRequest; reply: CreateUserResponse };
  [LmsRequests.updateUser]: { request: UpdateUserRequest; reply: UpdateUserResponse };
  [LmsRequests.setUserStatus]: { request: SetUserStatusRequest; reply: SetUserStatusResponse };
  [LmsRequests.listCourses]: { request: ListCoursesRequest; reply: ListCoursesResponse };
  [LmsRequests.getCourse]: { request: GetCourseRequest; reply: GetCourseResponse };
  [LmsRequests.enrolUser]: { request: EnrolUserRequest; reply: EnrolUserResponse };
  [LmsRequests.callBudget]: { request: CallBudgetRequest; reply: CallBudgetResponse };
  [LmsRequests.resealKey]: { request: ResealKeyRequest; reply: ResealKeyResponse };
  [HrRequests.listEmployees]: { request: ListEmployeesRequest; reply: ListEmployeesResponse };
  [HrRequests.getEmployee]: { request: GetEmployeeRequest; reply: EmployeeRecord };
  [HrRequests.upsertFromLms]: {
    request: UpsertEmployeeFromLmsRequest;
    reply: UpsertEmployeeFromLmsResponse;
  };
  [HrRequests.listTraining]: { request: ListTrainingRequest; reply: ListTrainingResponse };
  [HrRequests.storeTraining]: { request: StoreTrainingRequest; reply: StoreTrainingResponse };
  [HrRequests.listEnrolmentRequests]: {
    request: ListEnrolmentRequestsRequest;
    reply: ListEnrolmentRequestsResponse;
  };
  [HrRequests.markEnrolmentRequest]: {
    request: MarkEnrolmentRequestRequest;
    reply: EnrolmentRequestState;
  };
  [HrRequests.getCompany]: { request: GetCompanyRequest; reply: Company };
  [HrRequests.tokenStatus]: { request: TokenStatusRequest; reply: TokenStatusResponse };
  [OrchestratorRequests.getRun]: { request: GetRunRequest; reply: SyncRunEventPayload };
}

/** A request/reply subject of the catalogue. */
export type RpcSubject = keyof RpcContracts;
/** What `subject` takes. */
export type RpcRequestOf<S extends RpcSubject> = RpcContracts[S]['request'];
/** What `subject` answers (the `data` of an `{ok: true}` reply). */
export type RpcReplyOf<S extends RpcSubject> = RpcContracts[S]['reply'];
