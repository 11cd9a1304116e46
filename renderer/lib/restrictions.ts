import type { TrashItem } from '../../shared/model';

/** What the selection may do, when some of its items may not be restored or deleted (an oCIS viewer's or editor's). */
export interface SelectionLimits {
  restorable: TrashItem[];
  deletable: TrashItem[];
  /** Why Restore leaves some (or all) of the selection out, to show beside it; null when nothing is left out. */
  restoreNote: string | null;
  deleteNote: string | null;
}

function note(
  selected: readonly TrashItem[],
  blocked: readonly TrashItem[],
  reasonOf: (i: TrashItem) => string,
  verb: string,
): string | null {
  if (blocked.length === 0) return null;
  const reasons = [...new Set(blocked.map(reasonOf))];
  const why =
    reasons.length === 1
      ? reasons[0]!
      : `${reasons[0]!} (and ${reasons.length - 1} more reason${reasons.length === 2 ? '' : 's'})`;
  if (blocked.length === selected.length)
    return selected.length === 1 ? `Cannot be ${verb}: ${why}` : `None of these can be ${verb}: ${why}`;
  return `${blocked.length} of ${selected.length} cannot be ${verb} and are left out: ${why}`;
}

const limitsCache = new WeakMap<readonly TrashItem[], SelectionLimits>();

/**
 * Splits a selection by what the server lets this user do with each item (the reasons come from
 * main with the listing). One pass, and remembered per array: the toolbar, the context menu and
 * the hints all ask about the same selection on every render, which with 100k selected items was
 * several passes each (select-all).
 */
export function selectionLimits(selected: readonly TrashItem[]): SelectionLimits {
  const cached = limitsCache.get(selected);
  if (cached) return cached;
  const restorable: TrashItem[] = [];
  const deletable: TrashItem[] = [];
  const notRestorable: TrashItem[] = [];
  const notDeletable: TrashItem[] = [];
  for (const i of selected) {
    (i.cannotRestore ? notRestorable : restorable).push(i);
    (i.cannotDelete ? notDeletable : deletable).push(i);
  }
  const limits: SelectionLimits = {
    restorable,
    deletable,
    restoreNote: note(selected, notRestorable, (i) => i.cannotRestore!, 'restored'),
    deleteNote: note(selected, notDeletable, (i) => i.cannotDelete!, 'deleted'),
  };
  limitsCache.set(selected, limits);
  return limits;
}

const accountCache = new WeakMap<readonly TrashItem[], string | null>();

/** The one account all these items come from, or null when they come from several (or none); remembered per array. */
export function singleAccount(items: readonly TrashItem[]): string | null {
  const cached = accountCache.get(items);
  if (cached !== undefined) return cached;
  const first = items[0]?.accountId ?? null;
  let one = first;
  for (const i of items)
    if (i.accountId !== first) {
      one = null;
      break;
    }
  accountCache.set(items, one);
  return one;
}
