import type { RunCounts, SideCounts } from '@talentsync/contracts';
import type { SyncRunItem } from './sync-run-item.entity';

const emptySide = (): SideCounts => ({
  created: 0,
  updated: 0,
  deactivated: 0,
  skipped: 0,
  failed: 0,
});

export const emptyCounts = (): RunCounts => ({ hr: emptySide(), lms: emptySide() });

/**
 * A run's counts from its items' outcomes: what was done, by action; what failed and what was
 * skipped, by side. Planned items not yet applied count for nothing.
 */
export function countItems(
  items: Pick<SyncRunItem, 'action' | 'side' | 'status' | 'changes'>[],
): RunCounts {
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
