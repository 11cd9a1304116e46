import { describe, expect, it } from 'vitest';
import * as sel from './selection';

const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
const index = sel.indexView(keys);
const selected = (s: sel.Selection) => [...s.selected].sort();

describe('selection model', () => {
  it('a click selects one row and sets the anchor', () => {
    const s = sel.click(sel.emptySelection, keys, index, 'c');
    expect(selected(s)).toEqual(['c']);
    expect(s.anchor).toBe('c');
    expect(s.focus).toBe('c');
  });

  it('shift-click selects the range from the anchor, either direction, replacing the rest', () => {
    let s = sel.click(sel.emptySelection, keys, index, 'c');
    s = sel.click(s, keys, index, 'e', { shift: true });
    expect(selected(s)).toEqual(['c', 'd', 'e']);
    s = sel.click(s, keys, index, 'a', { shift: true });
    expect(selected(s)).toEqual(['a', 'b', 'c']);
    expect(s.anchor).toBe('c');
  });

  it('ctrl-click toggles without touching the rest; ctrl+shift adds a range', () => {
    let s = sel.click(sel.emptySelection, keys, index, 'a');
    s = sel.click(s, keys, index, 'c', { toggle: true });
    expect(selected(s)).toEqual(['a', 'c']);
    s = sel.click(s, keys, index, 'a', { toggle: true });
    expect(selected(s)).toEqual(['c']);
    // The anchor is the last row clicked ('a', toggled off): ctrl+shift adds a..e to what is there.
    s = sel.click(s, keys, index, 'e', { toggle: true, shift: true });
    expect(selected(s)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('select all, clear', () => {
    const s = sel.selectAll(sel.emptySelection, keys);
    expect(s.selected.size).toBe(6);
    expect(sel.clear(s).selected.size).toBe(0);
  });

  it('arrows move the selection; with shift they extend it from the anchor and shrink back', () => {
    let s = sel.click(sel.emptySelection, keys, index, 'b');
    s = sel.move(s, keys, index, { delta: 1 });
    expect(selected(s)).toEqual(['c']);
    s = sel.move(s, keys, index, { delta: 1 }, { shift: true });
    s = sel.move(s, keys, index, { delta: 1 }, { shift: true });
    expect(selected(s)).toEqual(['c', 'd', 'e']);
    s = sel.move(s, keys, index, { delta: -1 }, { shift: true });
    expect(selected(s)).toEqual(['c', 'd']);
    s = sel.move(s, keys, index, { delta: 100 });
    expect(selected(s)).toEqual(['f']);
    s = sel.move(s, keys, index, { to: 0 }, { shift: true });
    expect(s.selected.size).toBe(6);
  });

  it('with nothing focused, Down starts at the top and Up at the bottom', () => {
    expect(selected(sel.move(sel.emptySelection, keys, index, { delta: 1 }))).toEqual(['a']);
    expect(selected(sel.move(sel.emptySelection, keys, index, { delta: -1 }))).toEqual(['f']);
  });

  it('ctrl+arrow moves only the focus; space toggles the focused row', () => {
    let s = sel.click(sel.emptySelection, keys, index, 'a');
    s = sel.move(s, keys, index, { delta: 2 }, { toggle: true });
    expect(s.focus).toBe('c');
    expect(selected(s)).toEqual(['a']);
    s = sel.toggleFocused(s);
    expect(selected(s)).toEqual(['a', 'c']);
  });

  it('a marquee selects its rows, replacing or (with the modifier) adding to the selection it started with', () => {
    const base = sel.click(sel.emptySelection, keys, index, 'a');
    expect(selected(sel.marquee(base, keys, 2, 4, false))).toEqual(['c', 'd', 'e']);
    expect(selected(sel.marquee(base, keys, 4, 2, true))).toEqual(['a', 'c', 'd', 'e']);
    expect(selected(sel.marquee(base, keys, 3, 99, false))).toEqual(['d', 'e', 'f']);
  });

  it('prune drops keys that left the data and keeps the object when nothing changed', () => {
    const s = sel.selectAll(sel.emptySelection, keys);
    expect(sel.prune(s, () => true)).toBe(s);
    const pruned = sel.prune(s, (k) => k !== 'a' && k !== 'b');
    expect(selected(pruned)).toEqual(['c', 'd', 'e', 'f']);
    expect(pruned.anchor).toBeNull();
  });

  it('handles 100k rows', () => {
    const big = Array.from({ length: 100_000 }, (_, i) => `k${i}`);
    const bigIndex = sel.indexView(big);
    let s = sel.click(sel.emptySelection, big, bigIndex, 'k10');
    s = sel.click(s, big, bigIndex, 'k99990', { shift: true });
    expect(s.selected.size).toBe(99_981);
  });

  it('select-all with the view index holds every key of that view without copying them, and acts like a set of them', () => {
    const s = sel.selectAll(sel.emptySelection, keys, index);
    expect(s.selected).toBeInstanceOf(sel.ViewKeys);
    expect(s.selected.size).toBe(keys.length);
    expect(keys.every((k) => s.selected.has(k))).toBe(true);
    expect(s.selected.has('zz')).toBe(false);
    expect([...s.selected]).toEqual(keys);
    // Later steps copy it as a set: ctrl-click takes one row out, a shift-range replaces it.
    const toggled = sel.click(s, keys, index, 'c', { toggle: true });
    expect(selected(toggled)).toEqual(['a', 'b', 'd', 'e', 'f']);
    expect(sel.prune(s, (k) => k !== 'a').selected.size).toBe(5);
    expect(sel.selectedInView(s, keys)).toEqual(keys);
  });
});
