/**
 * The listing bench's baseline page: a bare @tanstack/react-virtual list of the same rows the app
 * shows (name, original folder, deletion time, size), 36 px each, nothing else. It fetches the
 * items as one JSON array from /items.json and records when the first rows and the whole list are
 * on screen (window.__bare), so the bench can compare heap and scrolling with the app's list.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { createRoot } from 'react-dom/client';

interface Row {
  key: string;
  name: string;
  originalFolder: string;
  deletedAt: string | null;
  size: number | null;
}

declare global {
  interface Window {
    __bare?: { startedAt: number; shownAt?: number; count?: number };
  }
}

function List({ items }: { items: Row[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => ref.current,
    estimateSize: () => 36,
    overscan: 12,
  });
  return (
    <div id="scroll" ref={ref}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((v) => {
          const item = items[v.index]!;
          return (
            <div key={item.key} className="row" role="row" style={{ transform: `translateY(${v.start}px)` }}>
              <span>{item.name}</span>
              <span>{item.originalFolder}</span>
              <span>{item.deletedAt ?? ''}</span>
              <span>{item.size ?? ''}</span>
            </div>
          );
        })}
      </div>
    </div>
  );
}

const state: NonNullable<Window['__bare']> = { startedAt: performance.now() };
window.__bare = state;
const items = (await (await fetch('/items.json')).json()) as Row[];
createRoot(document.getElementById('root')!).render(<List items={items} />);
requestAnimationFrame(() => {
  state.shownAt = performance.now();
  state.count = items.length;
});
