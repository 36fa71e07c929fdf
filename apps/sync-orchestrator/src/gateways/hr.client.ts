import { Injectable } from '@nestjs/common';
import { EmployeeEventPayload, EmployeeRecord, HrRequests } from '@talentsync/contracts';
import { NatsRpcClient } from '@talentsync/shared/messaging';
import type { EnrolmentRequest, HrTrainingRecord, HrWritePayload } from '@talentsync/sync-rules';
import { EmployeeTrainingEntry, HrGateway, HrReadOptions } from './hr.gateway';

const PAGE_SIZE = 500;
const TIMEOUT_MS = 15_000;

/** HrGateway over NATS request/reply to hr-service. */
@Injectable()
export class HrClient extends HrGateway {
  constructor(private readonly rpc: NatsRpcClient) {
    super();
  }

  private request<T>(subject: string, payload: unknown): Promise<T> {
    return this.rpc.request<T>(subject, payload, { timeoutMs: TIMEOUT_MS });
  }

  async listEmployees({ includeSsn }: HrReadOptions): Promise<EmployeeRecord[]> {
    const all: EmployeeRecord[] = [];
    for (let page = 1; ; page += 1) {
      const reply = await this.request<{ items: EmployeeRecord[]; total: number }>(
        HrRequests.listEmployees,
        { page, pageSize: PAGE_SIZE, includeSsn },
      );
      all.push(...reply.items);
      if (reply.items.length < PAGE_SIZE || all.length >= reply.total) return all;
    }
  }

  async getEmployee(id: string, { includeSsn }: HrReadOptions): Promise<EmployeeRecord | null> {
    try {
      return await this.request<EmployeeRecord>(HrRequests.getEmployee, { id, includeSsn });
    } catch (error) {
      if ((error as { code?: string }).code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  async upsertFromLms(
    write: HrWritePayload & { employeeId?: string },
  ): Promise<EmployeeEventPayload> {
    // hr-service reads a null language as "clear", which a required field refuses: an LMS
    // language outside the table means "keep what HR has".
    const { language, ...fields } = write.fields;
    const reply = await this.request<{ employee: EmployeeEventPayload }>(HrRequests.upsertFromLms, {
      ...(write.employeeId ? { employeeId: write.employeeId } : {}),
      sourceLmsUserId: write.sourceLmsUserId,
      ...fields,
      ...(language ? { language } : {}),
    });
    return reply.employee;
  }

  async listTraining(): Promise<HrTrainingRecord[]> {
    const all: HrTrainingRecord[] = [];
    for (let page = 1; ; page += 1) {
      const reply = await this.request<{ items: HrTrainingRecord[]; total: number }>(
        HrRequests.listTraining,
        { page, pageSize: 1000 },
      );
      all.push(...reply.items);
      if (reply.items.length < 1000 || all.length >= reply.total) return all;
    }
  }

  async storeTraining(entries: EmployeeTrainingEntry[]): Promise<void> {
    await this.request(HrRequests.storeTraining, { employees: entries });
  }

  async pendingEnrolments(): Promise<EnrolmentRequest[]> {
    const reply = await this.request<{ items: EnrolmentRequest[] }>(
      HrRequests.listEnrolmentRequests,
      {},
    );
    return reply.items;
  }

  async markEnrolment(
    requestId: string,
    outcome: 'sent' | 'failed',
    reason?: string,
  ): Promise<void> {
    await this.request(HrRequests.markEnrolmentRequest, {
      id: requestId,
      outcome,
      ...(reason ? { reason } : {}),
    });
  }
}
