import { Injectable } from '@nestjs/common';
import {
  EmployeeEventPayload,
  EmployeeRecord,
  errorCode,
  HrRequests,
  RpcErrorCodes,
  RpcReplyOf,
  RpcRequestOf,
} from '@talentsync/contracts';
import { NatsRpcClient } from '@talentsync/shared/messaging';
import type { EnrolmentRequest, HrTrainingRecord, HrWritePayload } from '@talentsync/sync-rules';
import { EmployeeTrainingEntry, HrGateway, HrReadOptions } from './hr.gateway';

const PAGE_SIZE = 500;
const TIMEOUT_MS = 15_000;

type HrSubject = (typeof HrRequests)[keyof typeof HrRequests];

/** HrGateway over NATS request/reply to hr-service. */
@Injectable()
export class HrClient extends HrGateway {
  constructor(private readonly rpc: NatsRpcClient) {
    super();
  }

  /** Every hr.* request names its company: hr-service answers within it only. */
  private request<S extends HrSubject>(
    subject: S,
    companyId: string,
    payload: Omit<RpcRequestOf<S>, 'companyId'>,
  ): Promise<RpcReplyOf<S>> {
    return this.rpc.request(subject, { ...payload, companyId } as RpcRequestOf<S>, {
      timeoutMs: TIMEOUT_MS,
    });
  }

  async listEmployees(companyId: string, { includeSsn }: HrReadOptions): Promise<EmployeeRecord[]> {
    const all: EmployeeRecord[] = [];
    for (let page = 1; ; page += 1) {
      const reply = await this.request(HrRequests.listEmployees, companyId, {
        page,
        pageSize: PAGE_SIZE,
        includeSsn,
      });
      all.push(...reply.items);
      if (reply.items.length < PAGE_SIZE || all.length >= reply.total) return all;
    }
  }

  async getEmployee(
    companyId: string,
    id: string,
    { includeSsn }: HrReadOptions,
  ): Promise<EmployeeRecord | null> {
    try {
      return await this.request(HrRequests.getEmployee, companyId, { id, includeSsn });
    } catch (error) {
      if (errorCode(error) === RpcErrorCodes.notFound) return null;
      throw error;
    }
  }

  async upsertFromLms(
    companyId: string,
    write: HrWritePayload & { employeeId?: string },
  ): Promise<EmployeeEventPayload> {
    // hr-service reads a null language as "clear", which a required field refuses: an LMS
    // language outside the table means "keep what HR has".
    const { language, ...fields } = write.fields;
    const reply = await this.request(HrRequests.upsertFromLms, companyId, {
      ...(write.employeeId ? { employeeId: write.employeeId } : {}),
      sourceLmsUserId: write.sourceLmsUserId,
      ...fields,
      ...(language ? { language } : {}),
    });
    return reply.employee;
  }

  async listTraining(companyId: string): Promise<HrTrainingRecord[]> {
    const all: HrTrainingRecord[] = [];
    for (let page = 1; ; page += 1) {
      const reply = await this.request(HrRequests.listTraining, companyId, {
        page,
        pageSize: 1000,
      });
      all.push(...reply.items);
      if (reply.items.length < 1000 || all.length >= reply.total) return all;
    }
  }

  async storeTraining(companyId: string, entries: EmployeeTrainingEntry[]): Promise<void> {
    await this.request(HrRequests.storeTraining, companyId, { employees: entries });
  }

  async pendingEnrolments(companyId: string): Promise<EnrolmentRequest[]> {
    const reply = await this.request(HrRequests.listEnrolmentRequests, companyId, {});
    return reply.items;
  }

  async markEnrolment(
    companyId: string,
    requestId: string,
    outcome: 'sent' | 'failed',
    reason?: string,
  ): Promise<void> {
    await this.request(HrRequests.markEnrolmentRequest, companyId, {
      id: requestId,
      outcome,
      ...(reason ? { reason } : {}),
    });
  }
}
