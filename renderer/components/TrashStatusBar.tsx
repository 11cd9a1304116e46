import { formatBytes, formatCount, plural } from '../lib/format';
import { loadProgress, statusCountText, type AccountTotals } from '../lib/trashTotals';

/** Below the table: how many items are shown (and whether that is final), what is selected, and which accounts failed. */
export function TrashStatusBar({
  totals,
  shown,
  shownBytes,
  loadedItems,
  filtered,
  selected,
  selectedBytes,
}: {
  totals: AccountTotals[];
  shown: number;
  shownBytes: number;
  loadedItems: number;
  filtered: boolean;
  selected: number;
  selectedBytes: number;
}) {
  const progress = loadProgress(totals);
  return (
    <footer className="status-bar" aria-live="polite" data-testid="status-bar" data-complete={String(progress.complete)}>
      <span data-testid="view-count" data-complete={String(progress.complete)}>
        {statusCountText({ totals, shown, shownBytes, loadedItems, filtered })}
      </span>
      <span data-testid="selection-count">{selected ? `${formatCount(selected)} selected · ${formatBytes(selectedBytes)}` : 'Nothing selected'}</span>
      {progress.failed > 0 && <span className="error-text">{plural(progress.failed, 'account')} could not be loaded</span>}
    </footer>
  );
}
