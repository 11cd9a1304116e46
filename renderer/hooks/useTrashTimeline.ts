import { useCallback, useDeferredValue, useMemo } from 'react';
import { eventSummary, type DeletionEvent } from '../../shared/events';
import type { AccountView, TrashItem } from '../../shared/model';
import { eventItems, eventRange, eventWorkflows } from '../actions/events';
import { useEventLosses, type EventLosses } from '../queries/trash';
import { busyReason, type BusyItems } from '../lib/busy';
import { DATES } from '../lib/format';
import type { Selection } from '../lib/selection';
import type { TimeRange } from '../lib/timeRange';
import { useDeletionEvents } from './useDeletionEvents';
import { useTimeline } from './useTimeline';
import { filterItems, type Filters } from '../lib/view';

/** " · 198 copies lost by the server (same names deleted in one second; it kept only the last)". */
function lossText(l: EventLosses | undefined): string {
  if (!l) return '';
  const n = `${l.atLeast ? 'at least ' : ''}${l.lost.toLocaleString('en-US')}`;
  return ` · ${n} ${l.lost === 1 ? 'copy' : 'copies'} lost by the server (same names deleted in one second; it kept only the last)`;
}

/**
 * Everything the timeline band of the trash screen needs: the histogram of the items the other
 * filters let through (the date range is what the timeline picks, so it does not thin the bars),
 * the deletion events of the loaded trash and their workflows, and the date range kept in the
 * list's filters — one state, so the timeline, the date-range control and the list stay in step.
 */
export function useTrashTimeline({
  all,
  filters,
  setFilters,
  accounts,
  changeSelection,
  restore,
  busy,
  busyItems,
  width,
  settled,
}: {
  all: readonly TrashItem[];
  filters: Filters;
  setFilters: (update: (f: Filters) => Filters) => void;
  /** The accounts shown, in sidebar order (their colours follow it). */
  accounts: readonly AccountView[];
  changeSelection: (update: (s: Selection) => Selection) => void;
  restore: (items: TrashItem[]) => Promise<void> | void;
  /** The running workflow's label, or null. */
  busy: string | null;
  /** Items a batch is working on: an event holding any of them cannot be restored until it ends. */
  busyItems: BusyItems;
  width: number;
  /**
   * Every shown listing has answered. Until then the events are still growing (a new newest event
   * with each page), and asking the server what it lost for each would cost a read of its records
   * and, on Nextcloud, of the whole trash, per page.
   */
  settled: boolean;
}) {
  // A new listing (a page streaming in, items restored) shows in the list first; the band follows.
  const loaded = useDeferredValue(all);
  const undated = useMemo(() => (filters.deleted ? { ...filters, deleted: null } : filters), [filters]);
  const binned = useMemo(() => filterItems(loaded, undated), [loaded, undated]);
  const { events, byKey } = useDeletionEvents(loaded);
  const timeline = useTimeline(binned, width, events.length > 0);
  const setRange = useCallback((deleted: TimeRange | null) => setFilters((f) => ({ ...f, deleted })), [setFilters]);
  const flows = eventWorkflows({ setRange, changeSelection, restore }, byKey);
  const range = filters.deleted;
  const current = range
    ? (events.find((e) => eventRange(e).from === range.from && eventRange(e).to === range.to)?.id ?? null)
    : null;
  const labels = useMemo(() => new Map(accounts.map((a) => [a.id, a.label])), [accounts]);
  // Copies the server itself lost (same names deleted in one second): for the newest event and the chosen one.
  // Asked once every listing has answered (what was already told stays shown while one refreshes).
  const asked = useMemo(
    () => new Set([events[0]?.id, current].filter((x): x is string => typeof x === 'string')),
    [events, current],
  );
  const losses = useEventLosses(events, asked, settled);
  // In the window's one date format; to the minute, as the bars are.
  const summaryOf = useCallback(
    (e: DeletionEvent) =>
      eventSummary(e, (id) => labels.get(id) ?? id, {
        when: (from, to) => DATES.span(Math.floor(from / 60_000) * 60_000, Math.floor(to / 60_000) * 60_000),
      }) + lossText(losses.get(e.id)),
    [labels, losses],
  );
  // Which batch holds up each event's restore, once per listing and set of running batches, not on
  // every render (the events re-render with every selection, and an event of a million items is a
  // million look-ups); nothing to look up while no batch runs.
  const eventBusy = useMemo(
    () => new Map(events.map((e) => [e.id, busyItems.idle ? null : busyReason(eventItems(e, byKey), busyItems)])),
    [events, byKey, busyItems],
  );
  return {
    timeline,
    accounts,
    range,
    onRange: setRange,
    events: {
      list: events,
      /** The list is still of an older listing (it follows the loaded trash a render behind). */
      behind: loaded !== all,
      summaryOf,
      current,
      onSelect: (e: DeletionEvent) => {
        flows.select(e);
        // Zoomed so its minutes are bars of their own, not a sliver of a month.
        timeline.show(eventRange(e));
      },
      onRestore: (e: DeletionEvent) => void flows.restore(e),
      /** Why this event cannot be restored now: a workflow runs, or a batch still works on its items. */
      disabledFor: (e: DeletionEvent) => busy ?? eventBusy.get(e.id) ?? null,
    },
  };
}
