import { IsUUID } from 'class-validator';
import { CompanyScopedRequest } from '../lib/company';

/**
 * `orchestrator.runs.get`: a run's summary as the orchestrator holds it now, in the shape of
 * `sync.run.*` payloads (SyncRunEventPayload); NOT_FOUND for a run it never had. The notifier
 * asks before it e-mails about a run, and writes what this answers, not what an event said.
 */
export class GetRunRequest extends CompanyScopedRequest {
  @IsUUID() id: string;
}
