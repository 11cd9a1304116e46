import type { ComponentProps } from 'react';
import type { DeletionEvent } from '../../shared/events';
import type { AccountView } from '../../shared/model';
import { plural } from '../lib/format';
import { formatStep, type TimeRange } from '../lib/timeRange';
import type { Timeline } from '../hooks/useTimeline';
import { DeletionEvents } from './DeletionEvents';
import { useMediaQuery } from '../hooks/useMediaQuery';
import { DeletionTimeline, TimelineLegend } from './DeletionTimeline';
import { SHORT_WINDOW } from './trashGrid';

/** Folds or opens the timeline; says how many bursts of deletions it found. In the filter row while folded. */
export function TimelineToggle({ timeline, events }: { timeline: Timeline; events: number }) {
  const { collapsed } = timeline;
  return (
    <span className="timeline-toggle-group">
      <button
        type="button"
        className="icon-button timeline-toggle"
        aria-expanded={!collapsed}
        aria-controls="timeline-body"
        onClick={() => timeline.setCollapsed(!collapsed)}
      >
        <span aria-hidden="true">{collapsed ? '▸' : '▾'}</span> Timeline
      </button>
      <span className="muted timeline-count">{events ? plural(events, 'event') : 'no events'}</span>
    </span>
  );
}

/** Zoom out and in, to the chosen range, or back to the whole trash. */
function TimelineZoom({ timeline, range }: { timeline: Timeline; range: TimeRange | null }) {
  return (
    <div className="timeline-zoom" role="group" aria-label="Zoom">
      <button
        type="button"
        className="icon-button"
        onClick={() => timeline.zoom(2)}
        disabled={!timeline.canZoomOut}
        aria-label="Zoom out"
        title="Zoom out (−)"
      >
        −
      </button>
      <button
        type="button"
        className="icon-button"
        onClick={() => timeline.zoom(0.5)}
        disabled={!timeline.canZoomIn}
        aria-label="Zoom in"
        title="Zoom in (+)"
      >
        +
      </button>
      {range && Number.isFinite(range.from) && Number.isFinite(range.to) && (
        <button type="button" className="icon-button" onClick={() => timeline.show(range)}>
          Zoom to range
        </button>
      )}
      <button type="button" className="icon-button" onClick={timeline.fit}>
        Whole trash
      </button>
    </div>
  );
}

/**
 * The band above the list while open: a header that folds it (so a short window keeps its rows), the
 * timeline's controls (count or size, zoom, whole trash, zoom to the range), the timeline and the
 * deletion events beside it.
 */
export function TimelinePanel({
  timeline,
  accounts,
  range,
  onRange,
  events,
}: {
  timeline: Timeline;
  accounts: readonly AccountView[];
  range: TimeRange | null;
  onRange: (range: TimeRange | null) => void;
  events: Omit<ComponentProps<typeof DeletionEvents>, 'events'> & { list: readonly DeletionEvent[] };
}) {
  const { collapsed } = timeline;
  const { list, ...eventProps } = events;
  // A short window: the zoom moves up into the head and the line under the chart goes, so the chart
  // keeps its height and the list its rows (the events are one scrolling line below it).
  const short = useMediaQuery(SHORT_WINDOW);
  const zoom = <TimelineZoom timeline={timeline} range={range} />;
  return (
    <section
      className={`timeline-panel${collapsed ? ' collapsed' : ''}${short ? ' short' : ''}`}
      aria-label="Deletions over time"
    >
      <div className="timeline-head">
        <TimelineToggle timeline={timeline} events={list.length} />
        {!collapsed && (
          <>
            <select
              aria-label="Bars show"
              value={timeline.measure}
              onChange={(e) => timeline.setMeasure(e.target.value as 'count' | 'bytes')}
            >
              <option value="count">Items</option>
              <option value="bytes">Size</option>
            </select>
            <span className="muted timeline-step">1 bar = {formatStep(timeline.grid.step)}</span>
            {short && zoom}
            <TimelineLegend accounts={accounts} />
          </>
        )}
      </div>
      {!collapsed && (
        <div className="timeline-body" id="timeline-body">
          <DeletionTimeline timeline={timeline} accounts={accounts} range={range} onRange={onRange} short={short}>
            {!short && zoom}
          </DeletionTimeline>
          <DeletionEvents events={list} {...eventProps} />
        </div>
      )}
    </section>
  );
}
