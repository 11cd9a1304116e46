import { useState, type KeyboardEvent } from 'react';
import { binsRange, type TimeRange } from '../lib/timeRange';
import type { Timeline } from './useTimeline';

/**
 * The timeline from the keyboard: a cursor on one bar (kept as a time, so it stays put while
 * zooming), ←/→ move it, Shift+←/→ (and Shift+Home/End) stretch a range from where the stretch
 * began, Enter or Space takes the bar under the cursor alone, Escape clears the range, + and −
 * zoom around the cursor, Page Up/Down move the view by half its width. The range filters the list.
 */
export function useTimelineKeys(timeline: Timeline, range: TimeRange | null, onRange: (r: TimeRange | null) => void) {
  const [cursorAt, setCursorAt] = useState<number | null>(null);
  const [anchorAt, setAnchorAt] = useState<number | null>(null);
  const { from: start, step, bins } = timeline.grid;
  const indexOf = (t: number) => Math.min(bins - 1, Math.max(0, Math.floor((t - start) / step)));
  const timeOf = (i: number) => start + i * step + step / 2;
  // The cursor's bar: where it was left, else the start of the range, else the latest bar with deletions.
  const lastWithData = () => {
    const rows = Object.values(timeline.bins?.byAccount ?? {});
    for (let i = bins - 1; i >= 0; i--) if (rows.some((r) => (r[i] ?? 0) > 0)) return i;
    return bins - 1;
  };
  const cursor = cursorAt !== null ? indexOf(cursorAt) : null;

  const onKeyDown = (e: KeyboardEvent) => {
    const cur = cursor ?? (range ? indexOf(range.from) : lastWithData());
    const moveTo = (next: number) => {
      setCursorAt(timeOf(next));
      if (e.shiftKey) {
        const a = anchorAt !== null ? indexOf(anchorAt) : cur;
        if (anchorAt === null) setAnchorAt(timeOf(a));
        onRange(binsRange(start, step, a, next));
      } else setAnchorAt(null);
    };
    switch (e.key) {
      case 'ArrowLeft':
      case 'ArrowRight':
        moveTo(Math.min(bins - 1, Math.max(0, cursor === null ? cur : cur + (e.key === 'ArrowLeft' ? -1 : 1))));
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(bins - 1);
        break;
      case 'Enter':
      case ' ':
        setCursorAt(timeOf(cur));
        setAnchorAt(timeOf(cur));
        onRange(binsRange(start, step, cur, cur));
        break;
      case 'Escape':
        if (!range) return;
        setAnchorAt(null);
        onRange(null);
        break;
      case '+':
      case '=':
        timeline.zoom(0.5, timeOf(cur));
        setCursorAt(timeOf(cur));
        break;
      case '-':
      case '_':
        timeline.zoom(2, timeOf(cur));
        setCursorAt(timeOf(cur));
        break;
      case 'PageUp':
      case 'PageDown':
        timeline.pan(e.key === 'PageUp' ? -0.5 : 0.5);
        break;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
  };

  return { cursor, onKeyDown, onBlur: () => setCursorAt(null) };
}
