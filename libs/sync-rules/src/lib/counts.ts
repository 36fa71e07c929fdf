import type { RunCounts, SideCounts } from '@talentsync/contracts';
import type { FieldChange } from '@talentsync/mapping-rules';
import type { PlanAction, PlanItem, PlanSide } from './types';

/** Where an item stands: planned (not applied yet), done, failed, or skipped. */
export type ItemOutcome = 'planned' | 'done' | 'failed' | 'skipped';

/** What counting needs of an item, planned or recorded. */
export interface CountedItem {
  action: PlanAction;
  side: PlanSide;
  status: ItemOutcome;
  changes: FieldChange[];
}

const emptySide = (): SideCounts => ({
  created: 0,
  updated: 0,
  deactivated: 0,
  skipped: 0,
  failed: 0,
});

export const emptyCounts = (): RunCounts => ({ hr: emptySide(), lms: emptySide() });

/**
 * Counts as a run reports them, from its items' outcomes: what was done, by action (training
 * writes count as updates of the side they write; an enrolment that was already there, with
 * nothing to change, counts for nothing); what failed and what was skipped, by side. Planned
 * items not yet applied count for nothing. The one rule for a run's record and a dry run's plan.
 */
export function countItems(items: CountedItem[]): RunCounts {
  const counts = emptyCounts();
  for (const item of items) {
    if (item.side === 'none') continue;
    const side = counts[item.side];
    if (item.status === 'failed') side.failed += 1;
    else if (item.status === 'skipped') side.skipped += 1;
    else if (item.status !== 'done') continue;
    else if (item.action.startsWith('create')) side.created += 1;
    else if (item.action === 'deactivate-lms-user') side.deactivated += 1;
    else if (item.action === 'enrol-in-lms' && item.changes.length === 0)
      continue; // already enrolled
    else side.updated += 1;
  }
  return counts;
}

/** How a planned item stands before anything is applied: a skip is skipped, the rest planned. */
export const plannedOutcome = (item: Pick<PlanItem, 'action'>): ItemOutcome =>
  item.action === 'skip' ? 'skipped' : 'planned';

/** The counts a plan will have once applied without failures (a dry run shows these). */
export function countPlan(items: PlanItem[]): RunCounts {
  return countItems(
    items.map((item) => ({
      ...item,
      status: plannedOutcome(item) === 'skipped' ? 'skipped' : 'done',
    })),
  );
}
