import { useMemo, useState } from 'react';
import type { Bins } from '../../shared/events';
import type { TrashItem } from '../../shared/model';
import { binIndex, buildTimeIndex } from '../lib/timeIndex';
import { useMediaQuery } from './useMediaQuery';
import { binsFor, initialView, maxSpanFor, pan, viewAround, zoom, type TimeRange } from '../lib/timeRange';

export type TimelineMeasure = 'count' | 'bytes';

/** Pixels per bin: bars stay wide enough to see and to hit with the keyboard cursor. */
const PX_PER_BIN = 5;

/**
 * The state of the deletion timeline: which span it shows (zoom and pan, from an hour to a year or
 * the whole trash), counts or bytes, folded or not, and the histogram of `items` over that span,
 * per account. The listing's dates are parsed once into a sorted index (≈30 ms for 100k items);
 * each zoom or pan step then bins in well under a millisecond, so it runs here, not in a worker.
 */
export function useTimeline(items: readonly TrashItem[], width: number, hasEvents: boolean) {
  const index = useMemo(() => buildTimeIndex(items), [items]);
  const extent = index.extent;
  const maxSpan = maxSpanFor(extent);
  const [chosen, setChosen] = useState<TimeRange | null>(null);
  const [measure, setMeasure] = useState<TimelineMeasure>('count');
  // Until the user folds or opens it: open when there is a burst of deletions to show, and the
  // window is tall enough; otherwise folded, so the list keeps its room. A window made short later
  // folds it too (and a taller one opens it again), unless the user chose.
  const [chosenCollapsed, setCollapsed] = useState<boolean | null>(null);
  const short = useMediaQuery('(max-height: 699px)');
  const collapsed = chosenCollapsed ?? (short || !hasEvents);
  const [now] = useState(() => Date.now());
  const view = chosen ?? initialView(extent, now);
  const grid = binsFor(view, Math.max(20, width / PX_PER_BIN));
  const bins: Bins | null = useMemo(
    () => (collapsed ? null : binIndex(index, { from: grid.from, to: grid.to, bins: grid.bins, by: measure })),
    [collapsed, index, grid.from, grid.to, grid.bins, measure],
  );
  return {
    extent,
    view,
    grid,
    bins,
    measure,
    setMeasure,
    collapsed,
    setCollapsed,
    /** Zoom in (factor < 1) or out around a time (the middle when absent). */
    zoom: (factor: number, anchor?: number) =>
      setChosen(zoom(view, factor, anchor ?? (view.from + view.to) / 2, maxSpan)),
    /** Move by a fraction of the width (negative: earlier). */
    pan: (fraction: number) => setChosen(pan(view, fraction)),
    /** Show this range with some room around it. */
    show: (range: TimeRange) => setChosen(viewAround(range, maxSpan)),
    /** Back to the whole trash. */
    fit: () => setChosen(null),
    canZoomIn: view.to - view.from > 60 * 60_000 + 1,
    canZoomOut: view.to - view.from < maxSpan - 1,
  };
}

export type Timeline = ReturnType<typeof useTimeline>;
