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

/**
 * Splits a selection by what the server lets this user do with each item (the reasons come from main with the listing).
 */
export function selectionLimits(selected: readonly TrashItem[]): SelectionLimits {
  const restorable = selected.filter((i) => !i.cannotRestore);
  const deletable = selected.filter((i) => !i.cannotDelete);
  return {
    restorable,
    deletable,
    restoreNote: note(
      selected,
      selected.filter((i) => i.cannotRestore),
      (i) => i.cannotRestore!,
      'restored',
    ),
    deleteNote: note(
      selected,
      selected.filter((i) => i.cannotDelete),
      (i) => i.cannotDelete!,
      'deleted',
    ),
  };
}
