import { VanillaSelectionArea } from '@viselect/react';
import { useEffect, useRef, type RefObject } from 'react';
import * as sel from '../lib/selection';
import { toggleKey } from './trashGrid';

/**
 * The marquee (rubber-band) selection of the trash table: viselect draws the rectangle and
 * auto-scrolls at the edges; its area maps onto row indices (rows scrolled out of view have no
 * DOM element to hit-test). Returns a ref that is true while a marquee is drawn, when viselect
 * owns the scrolling (its area is anchored to the scroll offset).
 */
export function useMarquee(
  scrollRef: RefObject<HTMLDivElement | null>,
  gridRef: RefObject<HTMLDivElement | null>,
  current: {
    keys: readonly string[];
    selection: sel.Selection;
    onSelection: (next: sel.Selection) => void;
    rowHeight: number;
  },
): RefObject<boolean> {
  const marqueeActive = useRef(false);
  // The latest props for the marquee callbacks, which live outside React's render cycle.
  const latest = useRef(current);
  useEffect(() => {
    latest.current = current;
  });

  useEffect(() => {
    const scroller = scrollRef.current;
    if (!scroller) return;
    let base: sel.Selection = sel.emptySelection;
    let additive = false;
    const area = new VanillaSelectionArea({
      selectionAreaClass: 'marquee',
      selectables: ['.trash-row'],
      startAreas: [scroller],
      boundaries: [scroller],
      features: { singleTap: { allow: false, intersect: 'native' }, range: false, touch: true, deselectOnBlur: false },
      behaviour: {
        startThreshold: 6,
        scrolling: { speedDivider: 3, manualSpeed: 750, startScrollMargins: { x: 0, y: 32 } },
        overlap: 'drop',
        intersect: 'touch',
      },
    });
    area.on('beforestart', ({ event }) => {
      if (!event || ('button' in event && event.button !== 0)) return false;
      const target = event.target as Element | null;
      // Marquee starts anywhere but on a name (as in Finder's and Explorer's list views): the name drags the selection.
      if (target?.closest('.trash-row .cell-name')) return false;
      // Not on the scrollbar.
      if ('clientX' in event && event.clientX > scroller.getBoundingClientRect().left + scroller.clientWidth)
        return false;
      return true;
    });
    area.on('start', ({ event }) => {
      base = latest.current.selection;
      additive = Boolean(
        event && (toggleKey(event as globalThis.MouseEvent) || (event as globalThis.MouseEvent).shiftKey),
      );
      scroller.classList.add('marquee-active');
      marqueeActive.current = true;
      gridRef.current?.focus({ preventScroll: true });
    });
    const update = () => {
      const { y1, y2 } = area.getAreaLocation();
      const rect = scroller.getBoundingClientRect();
      const clampedY2 = Math.max(rect.top, Math.min(rect.bottom, y2));
      const top = Math.min(y1, clampedY2) - rect.top + scroller.scrollTop;
      const bottom = Math.max(y1, clampedY2) - rect.top + scroller.scrollTop;
      const { keys: currentKeys, onSelection: set } = latest.current;
      const rowHeight = latest.current.rowHeight;
      const first = Math.floor(Math.max(0, top) / rowHeight);
      const last = Math.min(currentKeys.length - 1, Math.floor(Math.max(0, bottom - 1) / rowHeight));
      if (first > last || first >= currentKeys.length) {
        set(additive ? base : sel.clear(base));
        return;
      }
      const forward = y1 <= clampedY2;
      set(sel.marquee(base, currentKeys, forward ? first : last, forward ? last : first, additive));
    };
    area.on('move', update);
    area.on('stop', () => {
      update();
      scroller.classList.remove('marquee-active');
      marqueeActive.current = false;
    });
    return () => area.destroy();
  }, [scrollRef, gridRef]);

  return marqueeActive;
}
