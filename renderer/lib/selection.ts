/**
 * The selection model of the trash table, as pure functions over the keys of the current view
 * (in display order). Click, ctrl/cmd-toggle, shift-range, select-all, arrow keys with and
 * without shift, and marquee ranges all go through here; the table only translates events.
 */
export interface Selection {
  readonly selected: ReadonlySet<string>;
  /** Where a shift-range starts. */
  readonly anchor: string | null;
  /** The row with keyboard focus. */
  readonly focus: string | null;
}

export const emptySelection: Selection = { selected: new Set(), anchor: null, focus: null };

/** Index of every key in the view, built once per view. */
export type ViewIndex = ReadonlyMap<string, number>;

/**
 * A view's index, built the first time it is asked: while a listing streams in nothing is
 * selected and nothing asks, and a Map of a million keys on every hand-over cost ~0.3 s each.
 */
class LazyIndex implements ReadonlyMap<string, number> {
  private map: Map<string, number> | null = null;
  constructor(private readonly all: readonly string[]) {}
  private built(): Map<string, number> {
    if (!this.map) {
      const map = new Map<string, number>();
      this.all.forEach((k, i) => map.set(k, i));
      this.map = map;
    }
    return this.map;
  }
  get size(): number {
    return this.all.length;
  }
  get(key: string): number | undefined {
    return this.built().get(key);
  }
  has(key: string): boolean {
    return this.built().has(key);
  }
  forEach(callback: (value: number, key: string, map: ReadonlyMap<string, number>) => void, thisArg?: unknown): void {
    this.built().forEach((v, k) => callback.call(thisArg, v, k, this));
  }
  entries() {
    return this.built().entries();
  }
  keys() {
    return this.built().keys();
  }
  values() {
    return this.built().values();
  }
  [Symbol.iterator]() {
    return this.built().entries();
  }
}

export const indexView = (keys: readonly string[]): ViewIndex => new LazyIndex(keys);

const rangeKeys = (keys: readonly string[], from: number, to: number): string[] => {
  const [a, b] = from <= to ? [from, to] : [to, from];
  return keys.slice(Math.max(0, a), Math.min(keys.length - 1, b) + 1);
};

export interface Modifiers {
  shift?: boolean;
  /** Ctrl on Windows/Linux, Cmd on macOS. */
  toggle?: boolean;
}

/** A mouse click on a row. */
export function click(
  sel: Selection,
  keys: readonly string[],
  index: ViewIndex,
  key: string,
  mods: Modifiers = {},
): Selection {
  if (mods.shift) {
    const anchor = sel.anchor !== null && index.has(sel.anchor) ? sel.anchor : key;
    const range = rangeKeys(keys, index.get(anchor)!, index.get(key)!);
    const selected = mods.toggle ? new Set([...sel.selected, ...range]) : new Set(range);
    return { selected, anchor, focus: key };
  }
  if (mods.toggle) {
    const selected = new Set(sel.selected);
    if (selected.has(key)) selected.delete(key);
    else selected.add(key);
    return { selected, anchor: key, focus: key };
  }
  return { selected: new Set([key]), anchor: key, focus: key };
}

/**
 * Every key of one view as a set, without copying them: select-all costs the same for 100k rows
 * as for ten. has() looks in the view's index; the view's keys and index never change (a new
 * listing or order makes a new view), so this stays what was selected.
 */
export class ViewKeys implements ReadonlySet<string> {
  constructor(
    private readonly all: readonly string[],
    readonly index: ViewIndex,
  ) {}

  get size(): number {
    return this.all.length;
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  forEach(callback: (value: string, key: string, set: ReadonlySet<string>) => void, thisArg?: unknown): void {
    for (const k of this.all) callback.call(thisArg, k, k, this);
  }

  keys() {
    return this.all.values();
  }

  values() {
    return this.all.values();
  }

  entries() {
    return this.all.map((k): [string, string] => [k, k]).values();
  }

  [Symbol.iterator]() {
    return this.all.values();
  }
}

/** Selects every row of the view; with the view's index, in O(1) (see ViewKeys). */
export function selectAll(sel: Selection, keys: readonly string[], index?: ViewIndex): Selection {
  return {
    selected: index ? new ViewKeys(keys, index) : new Set(keys),
    anchor: sel.anchor ?? keys[0] ?? null,
    focus: sel.focus ?? keys[0] ?? null,
  };
}

export const clear = (sel: Selection): Selection => ({ selected: new Set(), anchor: null, focus: sel.focus });

/**
 * Arrow keys, Page Up/Down, Home/End: move the focus by `delta` rows (clamped), or to an absolute
 * row with `to`. Without shift the focused row becomes the selection; with shift the range from
 * the anchor; with toggle only the focus moves.
 */
export function move(
  sel: Selection,
  keys: readonly string[],
  index: ViewIndex,
  step: { delta: number } | { to: number },
  mods: Modifiers = {},
): Selection {
  if (keys.length === 0) return sel;
  const current = sel.focus !== null ? index.get(sel.focus) : undefined;
  let target: number;
  if ('to' in step) target = step.to;
  else if (current === undefined) target = step.delta >= 0 ? 0 : keys.length - 1;
  else target = current + step.delta;
  target = Math.max(0, Math.min(keys.length - 1, target));
  const key = keys[target]!;
  if (mods.toggle && !mods.shift) return { ...sel, focus: key };
  if (mods.shift) {
    const anchor = sel.anchor !== null && index.has(sel.anchor) ? sel.anchor : (sel.focus ?? key);
    return { selected: new Set(rangeKeys(keys, index.get(anchor) ?? target, target)), anchor, focus: key };
  }
  return { selected: new Set([key]), anchor: key, focus: key };
}

/** Space with the toggle modifier (or alone): flips the focused row. */
export function toggleFocused(sel: Selection): Selection {
  if (sel.focus === null) return sel;
  const selected = new Set(sel.selected);
  if (selected.has(sel.focus)) selected.delete(sel.focus);
  else selected.add(sel.focus);
  return { ...sel, selected, anchor: sel.focus };
}

/**
 * A marquee covering rows `from`..`to` (inclusive, any order). `base` is the selection when the
 * drag began: kept and added to when the toggle modifier was held, dropped otherwise.
 */
export function marquee(
  base: Selection,
  keys: readonly string[],
  from: number,
  to: number,
  additive: boolean,
): Selection {
  if (keys.length === 0 || (from < 0 && to < 0)) return additive ? base : { ...emptySelection };
  const range = rangeKeys(keys, from, to);
  const selected = additive ? new Set([...base.selected, ...range]) : new Set(range);
  const anchorIndex = Math.max(0, Math.min(keys.length - 1, from));
  return {
    selected,
    anchor: keys[anchorIndex] ?? null,
    focus: keys[Math.max(0, Math.min(keys.length - 1, to))] ?? null,
  };
}

/** Drops keys that are no longer in the data (restored, deleted). Keeps everything else. */
export function prune(sel: Selection, exists: (key: string) => boolean): Selection {
  let changed = false;
  const selected = new Set<string>();
  for (const k of sel.selected) {
    if (exists(k)) selected.add(k);
    else changed = true;
  }
  const anchor = sel.anchor !== null && exists(sel.anchor) ? sel.anchor : null;
  const focus = sel.focus !== null && exists(sel.focus) ? sel.focus : null;
  if (!changed && anchor === sel.anchor && focus === sel.focus) return sel;
  return { selected, anchor, focus };
}

/** The selected keys that are in the view, in view order. */
export const selectedInView = (sel: Selection, keys: readonly string[]): string[] =>
  keys.filter((k) => sel.selected.has(k));
