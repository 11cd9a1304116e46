import { useMemo } from 'react';
import type { TrashItem } from '../../shared/model';
import { formatCount, plural } from '../lib/format';
import type { ActionHint } from '../lib/actionHints';
import { loadProgress, sizeOfItems, statusCountText, type AccountTotals } from '../lib/trashTotals';
import { ActionHints } from './ActionHints';
import { WatchStatus } from './WatchStatus';

/**
 * Below the table: how many items are shown (and whether that is final), what is selected, and which accounts failed.
 */
export function TrashStatusBar({
  totals,
  shown,
  shownBytes,
  loadedItems,
  filtered,
  selected,
  working = null,
  hints = [],
}: {
  totals: AccountTotals[];
  /** The items the table shows, and the selected ones: their sizes say which are unknown (never "0 B"). */
  shown: readonly TrashItem[];
  shownBytes: number;
  loadedItems: number;
  filtered: boolean;
  selected: readonly TrashItem[];
  /** What the trash screen is doing before a batch starts ("Checking the destination…"), or null. */
  working?: string | null;
  /** Why actions are held back, when the toolbar has no room to say it (a narrow window). */
  hints?: readonly ActionHint[];
}) {
  const progress = loadProgress(totals);
  const shownSize = useMemo(() => sizeOfItems(shown), [shown]);
  const selectedSize = useMemo(() => sizeOfItems(selected), [selected]);
  return (
    <footer className="status-bar" data-testid="status-bar" data-complete={String(progress.complete)}>
      <div className="status-live" aria-live="polite">
        <span data-testid="view-count" data-complete={String(progress.complete)}>
          {statusCountText({ totals, shown: shown.length, shownBytes, shownSize, loadedItems, filtered })}
        </span>
        <span data-testid="selection-count">
          {selected.length ? `${formatCount(selected.length)} selected · ${selectedSize}` : 'Nothing selected'}
        </span>
        {progress.failed > 0 && (
          <span className="error-text">{plural(progress.failed, 'account')} could not be loaded</span>
        )}
        {working && (
          <span className="status-working" role="status" data-testid="working">
            {working}
          </span>
        )}
        <ActionHints hints={hints} className="status-hint" />
      </div>
      {/* The watch's line is outside the live region: its "checked 14:05" is not news to read out. */}
      <WatchStatus />
    </footer>
  );
}
