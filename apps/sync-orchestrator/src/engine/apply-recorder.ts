import type { EntityManager } from 'typeorm';
import type { EmployeeLink, PlanItem, StoreTrainingItem } from '@talentsync/sync-rules';
import type { CallMeter } from '../gateways/call-meter';
import type { PortalRef } from '../gateways/lms.gateway';
import type { RetryOptions } from '@talentsync/shared/messaging';

/** The ids an applied item learnt (e.g. the LMS user it created). */
export interface AppliedIds {
  employeeId?: string;
  lmsUserId?: string;
}

/** What applying one item came to: the ids it learnt, or why it wrote nothing. */
export interface AppliedItem extends AppliedIds {
  /** Not written: newer data of the person was already written (the version guard). */
  skipped?: string;
}

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

/** A plan to apply, the company it is for, and the portal it is applied to. */
export interface PlanToApply {
  /** Every read and write of the plan is this company's (its links, versions, hr-service). */
  companyId: string;
  items: PlanItem[];
  portal: PortalRef;
  portalHost: string;
  /** Counts the TalentLMS calls the writes make. */
  meter: CallMeter;
  /** The HR version of each employee the plan was made from (the version guard's input). */
  employeeVersions: ReadonlyMap<string, number>;
}

/**
 * Where the outcome of each applied item goes, and how hard the caller wants each write tried.
 * A run records every item in its history and goes on past a failure; a push records one outcome
 * per event and gives the failure back to its consumer (which redelivers or fails the event).
 */
export interface ApplyRecorder {
  /** How each write is retried (a run waits out TalentLMS's call budget; a push defers). */
  readonly retry: RetryOptions;
  /** Writes applied at once within a phase. */
  readonly concurrency: number;
  /** The items still to apply, in plan order (a resumed run has applied some already). */
  pending(items: PlanItem[]): PlanItem[];
  /**
   * Whether each write now waits for its place at the replica's run-item gate first (a run's
   * bulk writes yield to pushes: run-item-gate.ts). A push's never do. Absent: never.
   */
  yieldsToPushes?(): boolean;
  /** Why to stop before the next write (e.g. the integration was deactivated); undefined: go on. */
  stopped(): string | undefined;
  /**
   * Why this replica must stop applying at once, recording nothing more for the items not
   * begun (its run lease was lost, or it is shutting down and hands the run over): `apply` lets
   * the items in hand finish, then throws this error. Undefined: go on.
   */
  halted?(): Error | undefined;
  done(item: PlanItem, ids: AppliedIds): Promise<void>;
  /**
   * For a recorder that keeps outcomes in the company's database: records `done` in the item's
   * own transaction (`manager`), with the link and the version the write stored, so they commit
   * together or not at all. Without it, `done` is called once they are committed.
   */
  doneIn?(item: PlanItem, ids: AppliedIds, manager: EntityManager): Promise<void>;
  /**
   * For a recorder that can store an applied write's link, written version and outcome in ONE
   * statement of the item's transaction (a run's: RunsService.recordApplied), instead of the
   * three of LinksService.link, EmployeeVersionGuard.written and `doneIn`: two round trips and
   * two statements less per run item, the 100,000 items of the many-companies bench's initial
   * syncs. Same rows, same transaction: the link, the version and the outcome commit together.
   */
  recordWrite?(
    item: PlanItem,
    write: AppliedWrite,
    manager: EntityManager,
  ): Promise<AppliedWriteStored>;
  /** Training stored for many people in one request: each item done, with its employee. */
  doneMany(items: { item: StoreTrainingItem; employeeId: string }[]): Promise<void>;
  /** The item failed for good (its retries spent). May rethrow to end the apply at once. */
  failed(item: PlanItem, error: unknown): Promise<void>;
  /** The item was not applied, and why. */
  skipped(item: PlanItem, reason: string): Promise<void>;
}
