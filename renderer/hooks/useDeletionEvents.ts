import { useMemo } from 'react';
import { detectEvents, type DeletionEvent } from '../../shared/events';
import type { TrashItem } from '../../shared/model';

/** Bursts of deletions in the loaded trash, newest first, and each item by key (to act on an event's items). */
export function useDeletionEvents(items: readonly TrashItem[]) {
  const events = useMemo<DeletionEvent[]>(
    () => detectEvents(items).sort((a, b) => (a.from < b.from ? 1 : a.from > b.from ? -1 : 0)),
    [items],
  );
  const byKey = useMemo(() => new Map(items.map((i) => [i.key, i])), [items]);
  return { events, byKey };
}
