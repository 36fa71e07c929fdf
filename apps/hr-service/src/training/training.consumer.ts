import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  EnrolmentRequestState,
  HrRequests,
  ListEnrolmentRequestsRequest,
  ListEnrolmentRequestsResponse,
  ListTrainingRequest,
  ListTrainingResponse,
  MarkEnrolmentRequestRequest,
  StoreTrainingRequest,
  StoreTrainingResponse,
} from '@talentsync/contracts';
import { TrainingService } from './training.service';

/** `hr.training.*` for the sync orchestrator. */
@Controller()
export class TrainingConsumer {
  constructor(private readonly training: TrainingService) {}

  @MessagePattern(HrRequests.storeTraining)
  store(@Payload() request: StoreTrainingRequest): Promise<StoreTrainingResponse> {
    return this.training.store(request);
  }

  @MessagePattern(HrRequests.listTraining)
  async list(@Payload() request: ListTrainingRequest): Promise<ListTrainingResponse> {
    // A page larger than one NATS message is answered REPLY_TOO_LARGE by the transport.
    return this.training.list(request);
  }

  @MessagePattern(HrRequests.listEnrolmentRequests)
  async pending(
    @Payload() request: ListEnrolmentRequestsRequest,
  ): Promise<ListEnrolmentRequestsResponse> {
    return { items: await this.training.pendingEnrolments(request) };
  }

  @MessagePattern(HrRequests.markEnrolmentRequest)
  mark(@Payload() request: MarkEnrolmentRequestRequest): Promise<EnrolmentRequestState> {
    return this.training.markEnrolment(request);
  }
}
