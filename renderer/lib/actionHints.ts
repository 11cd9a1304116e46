/** Why some actions of the toolbar cannot run on the selection (or the trash) now, in words shown beside them. Pure. */
import type { TrashItem } from '../../shared/model';
import { selectionLimits, singleAccount } from './restrictions';

export interface ActionHint {
  /** Also the element's test id. */
  id: 'selection-busy' | 'restore-to-reason' | 'restore-limit' | 'delete-limit' | 'empty-blocked';
  text: string;
}

export function actionHints({
  selected,
  selectionBusy,
  emptyBlocked,
}: {
  selected: readonly TrashItem[];
  selectionBusy: string | null;
  emptyBlocked: string | null;
}): ActionHint[] {
  const hints: ActionHint[] = [];
  if (selectionBusy) hints.push({ id: 'selection-busy', text: `Wait: ${selectionBusy}` });
  if (selected.length > 0 && singleAccount(selected) === null)
    hints.push({ id: 'restore-to-reason', text: 'Restore to… takes items of one account' });
  const limits = selectionLimits(selected);
  if (limits.restoreNote) hints.push({ id: 'restore-limit', text: limits.restoreNote });
  if (limits.deleteNote) hints.push({ id: 'delete-limit', text: limits.deleteNote });
  if (emptyBlocked) hints.push({ id: 'empty-blocked', text: emptyBlocked });
  return hints;
}
