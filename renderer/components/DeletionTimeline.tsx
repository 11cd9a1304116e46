import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { AccountView } from '../../shared/model';
import { usePrefersDark } from '../hooks/useMediaQuery';
import { useAccountLook } from '../hooks/accountLook';
import { DATES, formatBytes, formatCount } from '../lib/format';
import { binsRange, formatBar, formatRange, snapToBins, type TimeRange } from '../lib/timeRange';
import { useElementWidth } from '../hooks/useElementWidth';
import type { Timeline } from '../hooks/useTimeline';
import { useTimelineKeys } from '../hooks/useTimelineKeys';

/**
 * Tick labels of the time axis, in the window's date format: "2:05 PM" within a day (the date at midnight), "Nov 28",
 * "Nov 2026".
 */
const timeTicks: uPlot.Axis.DynamicValues = (_u, splits, _i, _space, incr) =>
  splits.map((t) => {
    const d = new Date(t);
    if (incr < 86_400_000)
      return d.getHours() === 0 && d.getMinutes() === 0 ? DATES.dayMonth.format(t) : DATES.time.format(t);
    if (incr < 28 * 86_400_000) return DATES.dayMonth.format(t);
    return DATES.monthYear.format(t);
  });

/** Stacked bars: each account's series is the running total up to it, drawn from the top down. */
function stacked(timeline: Timeline, accounts: readonly AccountView[]): uPlot.AlignedData {
  const { from, step, bins } = timeline.grid;
  const xs = Array.from({ length: bins }, (_, i) => from + i * step);
  const rows = accounts.map((a) => timeline.bins?.byAccount[a.id] ?? new Array<number>(bins).fill(0));
  const sums: number[][] = [];
  const acc = new Array<number>(bins).fill(0);
  for (const row of rows) {
    for (let i = 0; i < bins; i++) acc[i]! += row[i] ?? 0;
    sums.push(acc.slice());
  }
  return [xs, ...sums.reverse()];
}

/** The range as uPlot's selection box, at least 2 px wide; none when it is out of view. */
function drawRange(u: uPlot, range: TimeRange | null) {
  const min = u.scales.x!.min ?? 0;
  const max = u.scales.x!.max ?? 0;
  if (!range || range.to < min || range.from > max) {
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    return;
  }
  const left = Math.max(0, u.valToPos(Math.max(range.from, min), 'x'));
  const right = Math.min(u.over.clientWidth, u.valToPos(Math.min(range.to, max), 'x'));
  u.setSelect(
    { left: Math.min(left, right - 2), top: 0, width: Math.max(2, right - left), height: u.over.clientHeight },
    false,
  );
}

/** What one bar holds, in words, for the cursor line and screen readers. */
function barText(timeline: Timeline, accounts: readonly AccountView[], i: number): string {
  const { from, step } = timeline.grid;
  const value = (v: number) =>
    timeline.measure === 'bytes' ? formatBytes(v) : `${formatCount(v)} ${v === 1 ? 'item' : 'items'}`;
  const parts = accounts.flatMap((a) => {
    const v = timeline.bins?.byAccount[a.id]?.[i] ?? 0;
    return v > 0 ? [`${a.label} ${value(v)}`] : [];
  });
  const total = accounts.reduce((s, a) => s + (timeline.bins?.byAccount[a.id]?.[i] ?? 0), 0);
  return `${formatBar(from + i * step, step)}: ${total ? value(total) : 'nothing deleted'}${parts.length > 1 ? ` (${parts.join(', ')})` : ''}`;
}

/** Which colour is which account (shown when there are several). */
export function TimelineLegend({ accounts }: { accounts: readonly AccountView[] }) {
  const look = useAccountLook();
  if (accounts.length < 2) return null;
  return (
    <ul className="timeline-legend" aria-label="Colours of the accounts">
      {accounts.map((a) => (
        <li key={a.id} title={a.label}>
          <span className="swatch" style={{ background: look(a.id).color }} aria-hidden="true" />
          {look(a.id).short}
        </li>
      ))}
    </ul>
  );
}

/**
 * Deletions over time as stacked bars, one colour per account (drawn by uPlot on a canvas, so a
 * redraw takes a few milliseconds whatever the size of the trash). Dragging across the bars (or
 * clicking one) picks a time range; the mouse wheel zooms; the keyboard does both (useTimelineKeys).
 */
export function DeletionTimeline({
  timeline,
  accounts,
  range,
  onRange,
  short = false,
  children,
}: {
  timeline: Timeline;
  /** The accounts shown, in the order of their colours. */
  accounts: readonly AccountView[];
  range: TimeRange | null;
  onRange: (range: TimeRange | null) => void;
  /** A short window: the line under the chart is read out to screen readers only (the zoom is in the panel's head). */
  short?: boolean;
  /** Controls at the end of the line under the chart (zoom). */
  children?: ReactNode;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const width = useElementWidth(box);
  const dark = usePrefersDark();
  // Short windows get a lower chart (still tall enough to read: its bars 40 px), so the list keeps its rows.
  const height = short ? 62 : 96;
  const [hover, setHover] = useState<number | null>(null);
  const keys = useTimelineKeys(timeline, range, onRange);
  const hintId = useId();
  // The latest props for uPlot's hooks, which are bound once per chart.
  const latest = useRef({ timeline, onRange, range });
  useEffect(() => {
    latest.current = { timeline, onRange, range };
  });
  // Each account's colour is its own everywhere (its place in the account list), not its place among those shown.
  const look = useAccountLook();
  const colours = accounts.map((a) => look(a.id).color);
  const ids = accounts.map((a, k) => `${a.id}=${colours[k]}`).join('\u0000');

  // One chart per set of accounts and theme; data, size and the range are pushed into it below.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const css = getComputedStyle(el);
    const muted = css.getPropertyValue('--muted').trim() || '#888';
    const grid = css.getPropertyValue('--border').trim() || '#ddd';
    const series: uPlot.Series[] = [{}];
    for (let k = accounts.length - 1; k >= 0; k--) {
      const colour = colours[k]!;
      series.push({
        label: accounts[k]!.label,
        fill: colour,
        stroke: colour,
        width: 0,
        points: { show: false },
        paths: uPlot.paths.bars!({ size: [1, Infinity, 1], gap: 1, align: 1 }),
      });
    }
    const u = new uPlot(
      {
        width: Math.max(100, el.clientWidth),
        height,
        ms: 1,
        legend: { show: false },
        padding: [6, 28, 0, 0],
        cursor: { drag: { x: true, y: false, setScale: false }, y: false, points: { show: false } },
        select: { show: true, left: 0, top: 0, width: 0, height: 0 },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.05] } },
        axes: [
          {
            stroke: muted,
            grid: { show: false },
            ticks: { stroke: grid, size: 4 },
            size: 24,
            font: '11px system-ui, sans-serif',
            values: timeTicks,
          },
          {
            stroke: muted,
            grid: { stroke: grid, width: 1 },
            ticks: { show: false },
            size: 44,
            font: '11px system-ui, sans-serif',
            values: (_u, splits) =>
              splits.map((v) => (latest.current.timeline.measure === 'bytes' ? formatBytes(v) : formatCount(v))),
            splits: (_u, _i, _min, max) =>
              [0, max / 2, max].map((v) => (latest.current.timeline.measure === 'bytes' ? v : Math.round(v))),
          },
        ],
        series,
        hooks: {
          // uPlot applies a new scale on its next draw: the range is placed from there, on that scale.
          draw: [(self) => drawRange(self, latest.current.range)],
          setCursor: [(self) => setHover(self.cursor.idx ?? null)],
          setSelect: [
            (self) => {
              const { timeline: t, onRange: pick } = latest.current;
              const { from, step } = t.grid;
              if (self.select.width < 2) {
                // A click: the bar under the pointer alone.
                const i = self.cursor.idx;
                if (i !== null && i !== undefined) pick(binsRange(from, step, i, i));
              } else {
                const a = self.posToVal(self.select.left, 'x');
                const b = self.posToVal(self.select.left + self.select.width, 'x');
                pick(snapToBins({ from: a, to: b }, from, step));
              }
            },
          ],
        },
      },
      stacked(latest.current.timeline, accounts),
      el,
    );
    // The wheel zooms around the pointer (the page does not scroll here).
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const at = u.posToVal(e.offsetX, 'x');
      latest.current.timeline.zoom(e.deltaY < 0 ? 0.7 : 1 / 0.7, at);
    };
    u.over.addEventListener('wheel', onWheel, { passive: false });
    plot.current = u;
    return () => {
      u.over.removeEventListener('wheel', onWheel);
      u.destroy();
      plot.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- rebuilt only when the accounts (by id) or the theme change
  }, [ids, dark]);

  useEffect(() => {
    if (width > 0) plot.current?.setSize({ width, height });
  }, [width, height]);

  // New bars only when the histogram changes (it is memoised on the grid, the measure and the items).
  const { bins } = timeline;
  useEffect(() => {
    const u = plot.current;
    if (!u) return;
    const t = latest.current.timeline;
    u.setData(stacked(t, accounts), false);
    u.setScale('x', { min: t.grid.from, max: t.grid.to });
  }, [bins, accounts]);

  // The range (from here, the date-range control or an event) drawn as the selection.
  useEffect(() => {
    if (plot.current) drawRange(plot.current, range);
  }, [range]);

  // The keyboard cursor shows as uPlot's own cursor on its bar.
  useEffect(() => {
    const u = plot.current;
    if (!u || keys.cursor === null) return;
    const x = u.valToPos(timeline.grid.from + (keys.cursor + 0.5) * timeline.grid.step, 'x');
    u.setCursor({ left: x, top: u.over.clientHeight / 2 });
  }, [keys.cursor, timeline.grid.from, timeline.grid.step]);

  const shown = keys.cursor ?? hover;
  return (
    <div className="deletion-timeline">
      <div
        ref={box}
        className="timeline-chart"
        tabIndex={0}
        role="group"
        aria-roledescription="timeline"
        aria-label={`Deletions over time, ${formatRange(timeline.view)}`}
        aria-describedby={hintId}
        onKeyDown={keys.onKeyDown}
        onBlur={keys.onBlur}
        data-testid="deletion-timeline"
        data-colours={accounts.map((a, k) => `${a.id}=${colours[k]}`).join('|')}
      />
      <div className={short ? 'timeline-foot visually-hidden' : 'timeline-foot'}>
        <p className="timeline-readout" aria-live="polite" data-testid="timeline-readout">
          {shown !== null
            ? barText(timeline, accounts, shown)
            : range
              ? `Showing ${formatRange(range)}`
              : 'Drag across the bars to show a time range.'}
        </p>
        {children}
      </div>
      <p id={hintId} className="visually-hidden">
        Arrow keys move between bars, Shift with an arrow selects a range, Enter selects one bar, Escape clears the
        range, plus and minus zoom, Page Up and Page Down move in time.
      </p>
    </div>
  );
}
