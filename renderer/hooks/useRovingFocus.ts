import { useEffect, useLayoutEffect, type RefObject } from 'react';

/** What counts as an item of a roving group: its enabled controls. */
const ITEMS =
  'button:not([disabled]), select:not([disabled]), input:not([disabled]):not([type="hidden"]), [role="button"]:not([aria-disabled="true"])';

/**
 * One Tab stop for a group of controls (the ARIA toolbar pattern): Tab enters the group at the
 * control used last (the first one at the start) and leaves it; Left/Right (and Home/End) move
 * between its controls. The controls are the group's own; this only sets their tabindex, so any
 * component can sit inside. Text fields keep Left/Right for the caret; a closed select keeps
 * Up/Down for its value.
 *
 * Why not React Aria's Toolbar (react-aria-components, a dependency): it takes Left/Right in the
 * capture phase from every control inside, a text or date field's too (the filters' group holds the
 * deletion-date fields, whose Left/Right move between day, month and year), and has no Home/End;
 * its Tab handling restores the last control as this does. Checked against 1.22.1.
 */
export function useRovingFocus(ref: RefObject<HTMLElement | null>): void {
  // After every render: exactly one item is in the Tab order.
  useLayoutEffect(() => {
    const root = ref.current;
    if (!root) return;
    const items = [...root.querySelectorAll<HTMLElement>(ITEMS)];
    if (items.length === 0) return;
    const current = items.find((el) => el.dataset.rovingCurrent === 'true') ?? items[0]!;
    for (const el of items) el.tabIndex = el === current ? 0 : -1;
  });

  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const items = () => [...root.querySelectorAll<HTMLElement>(ITEMS)];
    const mark = (target: HTMLElement) => {
      for (const el of items()) {
        const on = el === target;
        el.tabIndex = on ? 0 : -1;
        if (on) el.dataset.rovingCurrent = 'true';
        else delete el.dataset.rovingCurrent;
      }
    };
    const onFocusIn = (e: FocusEvent) => {
      const target = e.target as HTMLElement;
      if (items().includes(target)) mark(target);
    };
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const list = items();
      const at = list.indexOf(e.target as HTMLElement);
      if (at === -1) return;
      const target = e.target as HTMLElement;
      const textual = target instanceof HTMLInputElement && !['checkbox', 'radio', 'button'].includes(target.type);
      let next: number | null = null;
      if (e.key === 'ArrowRight' && !textual) next = (at + 1) % list.length;
      else if (e.key === 'ArrowLeft' && !textual) next = (at - 1 + list.length) % list.length;
      else if (e.key === 'Home' && !textual) next = 0;
      else if (e.key === 'End' && !textual) next = list.length - 1;
      if (next === null) return;
      e.preventDefault();
      list[next]!.focus();
    };
    root.addEventListener('focusin', onFocusIn);
    root.addEventListener('keydown', onKeyDown);
    return () => {
      root.removeEventListener('focusin', onFocusIn);
      root.removeEventListener('keydown', onKeyDown);
    };
  }); // after every render: the group may have mounted since (the filters unfold)
}
