/** Comparing the two sides of a name conflict, and the choices offered for it. Pure; tested in conflict.test.ts. */
import type { Conflict, Resolution } from '../../shared/model';

export type Side = 'trashed' | 'existing';

export interface Comparison {
  /**
   * Two selected items bound for one path: which was deleted later; null when a date is unknown, and
   * for a clash with a live file, whose date is a modification time, not comparable with a deletion.
   */
  deletedLater: Side | 'same' | null;
  /**
   * A clash with a live file: whether it was changed after the trashed one was deleted (true), before (false), or
   * unknown (null).
   */
  changedSince: boolean | null;
  /** Which side has more bytes; null for folders and when a size is unknown. */
  larger: Side | 'same' | null;
}

/** Dates this close (servers round to the second) count as the same. */
const SAME_TIME_MS = 1000;

const time = (iso: string | null) => {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
};

export function compareSides(c: Pick<Conflict, 'trashed' | 'existing' | 'source'>): Comparison {
  const a = time(c.trashed.deletedAt);
  const b = time(c.existing.modifiedAt);
  const known = a !== null && b !== null;
  // A selection clash: both dates are deletions. A live file: a change against a deletion, said as such.
  const selection = isSelectionClash(c);
  const deletedLater =
    !selection || !known ? null : Math.abs(a - b) < SAME_TIME_MS ? 'same' : a > b ? 'trashed' : 'existing';
  const changedSince = selection || !known ? null : b - a >= SAME_TIME_MS;
  const sa = c.trashed.size;
  const sb = c.existing.size;
  const files = c.trashed.kind === 'file' && c.existing.kind === 'file';
  const larger = !files || sa === null || sb === null ? null : sa === sb ? 'same' : sa > sb ? 'trashed' : 'existing';
  return { deletedLater, changedSince, larger };
}

/** 'existing' unless main says another selected item is in the way (older mains leave `source` out). */
export const isSelectionClash = (c: Pick<Conflict, 'source'>) => c.source === 'selection';

/**
 * What each row starts on: Keep both, which neither overwrites nor leaves anything behind — for a
 * clash with a live file and, above all, for two selected items that would land on the same path.
 */
export const DEFAULT_CHOICE: Resolution = 'keep-both';

/**
 * What "… all" sets one row to. Replace becomes Keep both where the server cannot replace, and
 * leaves rows that clash with another selected item as they are: replacing there would push a file
 * restored a moment earlier in the same batch back out, which is chosen on that row or not at all.
 */
export function choiceForAll(
  c: Pick<Conflict, 'source' | 'canReplace'>,
  all: Resolution,
  current: Resolution,
): Resolution {
  if (all !== 'replace') return all;
  if (isSelectionClash(c)) return current;
  return c.canReplace ? 'replace' : 'keep-both';
}
