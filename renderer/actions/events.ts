import type { DeletionEvent } from '../../shared/events';
import type { TrashItem } from '../../shared/model';
import type { Selection } from '../lib/selection';
import type { TimeRange } from '../lib/timeRange';

/** An event's span as a range of the date filter (both ends inclusive). */
export const eventRange = (e: DeletionEvent): TimeRange => ({ from: Date.parse(e.from), to: Date.parse(e.to) });

/** The event's items still in the loaded trash, oldest deletion first (restored items are gone from it). */
export const eventItems = (e: DeletionEvent, byKey: ReadonlyMap<string, TrashItem>): TrashItem[] =>
  e.keys.flatMap((k) => {
    const item = byKey.get(k);
    return item ? [item] : [];
  });

/** What the event workflows change: the date filter, the selection, and the trash screen's restore. */
export interface EventUi {
  setRange(range: TimeRange): void;
  changeSelection(update: (s: Selection) => Selection): void;
  /** The restore workflow of the trash screen (destination check → missing folders → conflicts → one batch). */
  restore(items: TrashItem[]): Promise<void> | void;
}

/**
 * Deletion events on the trash screen. Selecting one narrows the list to its span (the timeline
 * shows that range) and selects its items; "Restore this event" restores its items to where they
 * were as one batch, through the same checks and choices as Restore, so one Undo takes it back.
 */
export function eventWorkflows(ui: EventUi, byKey: ReadonlyMap<string, TrashItem>) {
  return {
    select(e: DeletionEvent) {
      const keys = e.keys.filter((k) => byKey.has(k));
      ui.setRange(eventRange(e));
      // The newest item has the focus: the top of the list in its usual newest-first order.
      const newest = keys.at(-1) ?? null;
      ui.changeSelection(() => ({ selected: new Set(keys), anchor: newest, focus: newest }));
    },
    restore(e: DeletionEvent) {
      const items = eventItems(e, byKey);
      if (items.length === 0) return;
      ui.setRange(eventRange(e));
      return ui.restore(items);
    },
  };
}
