import type { EntityManager } from 'typeorm';
import type { EmployeeLink, PlanItem } from '@talentsync/sync-rules';
import type { AppliedIds, ApplyRecorder } from './apply-recorder';

/** What a write stored once its call was made: its link, the HR version it wrote, its ids. */
export interface AppliedWrite {
  companyId: string;
  portalHost: string;
  link?: EmployeeLink;
  /** The version guard's record: `version` of `employeeId` written (versioned writes only). */
  written?: { employeeId: string; version: number };
  ids: AppliedIds;
  /**
   * Whether a newer reservation makes the writer write the latest again (it knows the LMS
   * user): the outcome is then not recorded with the write, but once the latest is written.
   */
  mayRewrite: boolean;
}

/** The write's statement answers: the reservation seen after it, and whether it recorded the item. */
export interface AppliedWriteStored {
  /** The reserved version after the write (the guard's `written` answer); undefined: none. */
  reserved?: number;
  recorded: boolean;
}

/**
 * A recorder that stores an applied write's link, written version and outcome in ONE
 * statement of the item's transaction (a run's: RunsService.recordApplied), instead of the
 * three of LinksService.link, EmployeeVersionGuard.written and `doneIn`: two round trips and
 * two statements less per run item, the 100,000 items of the many-companies bench's initial
 * syncs. Same rows, same transaction: the link, the version and the outcome commit together.
 */
export interface RecordsAppliedWrites {
  recordWrite(
    item: PlanItem,
    write: AppliedWrite,
    manager: EntityManager,
  ): Promise<AppliedWriteStored>;
}

export function recordsAppliedWrites(
  recorder: ApplyRecorder,
): recorder is ApplyRecorder & RecordsAppliedWrites {
  return typeof (recorder as Partial<RecordsAppliedWrites>).recordWrite === 'function';
}
