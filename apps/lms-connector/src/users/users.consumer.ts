import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreateUserRequest,
  CreateUserResponse,
  FindUserByEmailRequest,
  GetUserRequest,
  ListUsersRequest,
  ListUsersResponse,
  LmsRequests,
  LmsUserResponse,
  SetUserStatusRequest,
  SetUserStatusResponse,
  UpdateUserRequest,
  UpdateUserResponse,
} from '@talentsync/contracts';
import { PortalAccess } from '../portal/portal-access.service';
import { UsersService } from './users.service';

/** `lms.users.*` over NATS request/reply (queue group lms-connector). */
@Controller()
export class UsersConsumer {
  constructor(
    private readonly access: PortalAccess,
    private readonly users: UsersService,
  ) {}

  @MessagePattern(LmsRequests.listUsers)
  list(@Payload() request: ListUsersRequest): Promise<ListUsersResponse> {
    return this.access.serve(LmsRequests.listUsers, request, (session) =>
      this.users.list(session, request.page, request.pageSize),
    );
  }

  @MessagePattern(LmsRequests.getUser)
  get(@Payload() request: GetUserRequest): Promise<LmsUserResponse> {
    return this.access.serve(LmsRequests.getUser, request, (session) =>
      this.users.find(session, { id: request.id }),
    );
  }

  @MessagePattern(LmsRequests.findUserByEmail)
  findByEmail(@Payload() request: FindUserByEmailRequest): Promise<LmsUserResponse> {
    return this.access.serve(LmsRequests.findUserByEmail, request, (session) =>
      this.users.find(session, { email: request.email }),
    );
  }

  @MessagePattern(LmsRequests.createUser)
  create(@Payload() request: CreateUserRequest): Promise<CreateUserResponse> {
    return this.access.serve(LmsRequests.createUser, request, (session) =>
      this.users.create(session, request.user),
    );
  }

  @MessagePattern(LmsRequests.updateUser)
  update(@Payload() request: UpdateUserRequest): Promise<UpdateUserResponse> {
    return this.access.serve(LmsRequests.updateUser, request, (session) =>
      this.users.update(session, request.id, request.changes),
    );
  }

  @MessagePattern(LmsRequests.setUserStatus)
  setStatus(@Payload() request: SetUserStatusRequest): Promise<SetUserStatusResponse> {
    return this.access.serve(LmsRequests.setUserStatus, request, (session) =>
      this.users.setStatus(session, request.id, request.status),
    );
  }
}
