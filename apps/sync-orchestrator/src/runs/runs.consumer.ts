import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { GetRunRequest, OrchestratorRequests, SyncRunEventPayload } from '@talentsync/contracts';
import { RunsService } from './runs.service';

/**
 * `orchestrator.runs.*`: the notifier checks a run event against the run it is about. Answered
 * in the request's company: another company's run is NOT_FOUND, as an unknown one.
 */
@Controller()
export class RunsConsumer {
  constructor(private readonly runs: RunsService) {}

  @MessagePattern(OrchestratorRequests.getRun)
  get(@Payload() request: GetRunRequest): Promise<SyncRunEventPayload> {
    return this.runs.summary(request.companyId, request.id);
  }
}
