import { Injectable } from '@nestjs/common';
import {
  AppError,
  errorCode,
  OrchestratorRequests,
  RpcErrorCodes,
  parseMessage,
  SyncRunEventPayload,
} from '@talentsync/contracts';
import { NatsRpcClient } from '@talentsync/shared/messaging';

const REQUEST_TIMEOUT_MS = 5_000;

/** Asks sync-orchestrator (`orchestrator.runs.get`) what a run really is. */
@Injectable()
export class RunsClient {
  constructor(private readonly rpc: NatsRpcClient) {}

  /**
   * The run's summary as the orchestrator holds it; null when the company has no such run
   * (another company's run is unknown too). Throws a retryable RemoteCallError when the
   * orchestrator does not answer.
   */
  async get(companyId: string, runId: string): Promise<SyncRunEventPayload | null> {
    let reply: unknown;
    try {
      reply = await this.rpc.request(
        OrchestratorRequests.getRun,
        { companyId, id: runId },
        { timeoutMs: REQUEST_TIMEOUT_MS, correlationId: runId },
      );
    } catch (error) {
      if (errorCode(error) === RpcErrorCodes.notFound) return null;
      throw error;
    }
    const parsed = parseMessage(SyncRunEventPayload, reply);
    if (!parsed.ok) {
      throw new AppError(
        'RUN_REPLY_INVALID',
        `${OrchestratorRequests.getRun} answered something that is not a run: ${parsed.errors.join('; ')}`,
      );
    }
    return parsed.value;
  }
}
