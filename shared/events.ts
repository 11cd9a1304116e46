/**
 * Deletion events: bursts of deletions found in the trash, the histogram behind the timeline, and the
 * one-line summary of an event. Pure and fast (no Node or DOM APIs): runs in main, a worker or the
 * renderer alike. 100,000 items take a few tens of milliseconds (`npm run bench events`).
 *
 * ## The rule (detectEvents)
 * Per account, on the items with a parseable `deletedAt`, sorted by time:
 * 1. The account's usual rate `r` = its item count / the time they span (at least one day).
 * 2. Items chain into a cluster while each follows the previous one within the gap `g` =
 *    `gapFactor / r`, clamped to [`minGapMs`, `maxGapMs`] (defaults: 0.1 / r within 5 s … 2 min).
 *    So an account that deletes a file a month chains deletions up to 2 minutes apart, and one
 *    that deletes hundreds a day only deletions seconds apart: its ordinary work does not chain
 *    into one long cluster that would hide a burst inside it.
 * 3. A cluster splits at any silence inside it of at least `splitMinGapMs` (10 s) and at least
 *    `splitFactor` (8) times the pace around it (the mean spacing of the 10 deletions on either
 *    side, the slower side): 40 deletions half a second apart, 13 s of nothing, then 300 within
 *    a minute or two are two bursts, not one that began with the first 40 (so restoring the big
 *    one never touches the others). Each part is judged on its own.
 * 4. A cluster (or part) is an event when it has at least `minItems` items, where
 *    `minItems = clamp(ceil(sqrt(n)), minItemsFloor, minItemsCap)` (defaults 10 … 100; n = the
 *    account's items: 10 for 50 items, 23 for 500, 100 from 10,000), AND it holds at least
 *    `rateFactor` (default 10) times what the usual rate predicts for its span plus one gap:
 *    `count ≥ rateFactor · r · (duration + g)`. Steady deletions (at any pace) are never an event:
 *    however they chain, their cluster holds about what the usual rate predicts.
 * 5. Events of different accounts whose times overlap (within the larger of their gaps) are one
 *    incident and merge into one event listing every account.
 * Two bursts more than one gap apart stay two events.
 */
import { formatBytes } from './bytes';
import { folderLabel } from './location';
import type { TrashItem } from './model';

export interface DeletionEvent {
  /** Stable for the same items: derived from from, to and the accounts. */
  id: string;
  /** ISO 8601: the first and last deletion of the event. */
  from: string;
  to: string;
  count: number;
  /** Known bytes (items of unknown size count 0). */
  bytes: number;
  accounts: string[];
  /** The deepest original folder that holds most of the event's items (displayed like TrashItem.originalFolder). */
  topFolder: string;
  /** TrashItem.key of every item of the event, oldest deletion first. */
  keys: string[];
}

export type EventItem = Pick<
  TrashItem,
  'key' | 'accountId' | 'deletedAt' | 'size' | 'originalFolder' | 'movedBySalvage'
>;

/**
 * A file a restore with Replace moved to the trash is Salvage's own move, never part of a deletion event (items an Undo
 * put back keep their old time, and their event).
 */
const salvageReplaced = (item: EventItem) => item.movedBySalvage?.why === 'replace';

export interface DetectOptions {
  /** Lower bound of an event's size (default 10). */
  minItemsFloor?: number;
  /** Upper bound of the size an event needs in a large trash (default 100). */
  minItemsCap?: number;
  /** How many times the usual rate an event's density must reach (default 10). */
  rateFactor?: number;
  /** The chaining gap is gapFactor / usual rate (default 0.1) … */
  gapFactor?: number;
  /** … clamped to [minGapMs, maxGapMs] (defaults 5 s and 2 min). */
  minGapMs?: number;
  maxGapMs?: number;
  /**
   * A cluster splits at a silence of at least splitMinGapMs (default 10 s) and splitFactor (default 8) times the pace
   * around it.
   */
  splitFactor?: number;
  splitMinGapMs?: number;
}

const DAY = 86_400_000;
/** Deletions on each side of a silence whose mean spacing is the pace it is compared with. */
const PACE_WINDOW = 10;

const DEFAULTS: Required<DetectOptions> = {
  minItemsFloor: 10,
  minItemsCap: 100,
  rateFactor: 10,
  gapFactor: 0.1,
  minGapMs: 5_000,
  maxGapMs: 120_000,
  splitFactor: 8,
  splitMinGapMs: 10_000,
};

interface Span {
  from: number;
  to: number;
  gap: number;
  accounts: Set<string>;
  /** Indexes into the caller's items. */
  members: number[];
}

/** The time of an ISO 8601 string in ms, NaN when absent or unparseable. */
const timeOf = (iso: string | null): number => (iso ? Date.parse(iso) : NaN);

export function detectEvents(items: readonly EventItem[], options: DetectOptions = {}): DeletionEvent[] {
  const o = { ...DEFAULTS, ...options };
  const times = new Float64Array(items.length);
  const byAccount = new Map<string, number[]>();
  for (let i = 0; i < items.length; i++) {
    const t = salvageReplaced(items[i]!) ? NaN : timeOf(items[i]!.deletedAt);
    times[i] = t;
    if (Number.isNaN(t)) continue;
    const acc = items[i]!.accountId;
    let list = byAccount.get(acc);
    if (!list) byAccount.set(acc, (list = []));
    list.push(i);
  }

  const spans: Span[] = [];
  for (const [account, idx] of byAccount) {
    // Times sorted natively (no comparator: the costly part at 100k items); members are collected
    // afterwards for the few clusters that are events.
    const n = idx.length;
    const sorted = new Float64Array(n);
    for (let k = 0; k < n; k++) sorted[k] = times[idx[k]!]!;
    sorted.sort();
    const first = sorted[0]!;
    const last = sorted[n - 1]!;
    const rate = n / Math.max(last - first, DAY);
    const gap = Math.min(o.maxGapMs, Math.max(o.minGapMs, o.gapFactor / rate));
    const minItems = Math.min(o.minItemsCap, Math.max(o.minItemsFloor, Math.ceil(Math.sqrt(n))));
    const found: Span[] = [];
    const judge = (a: number, b: number) => {
      // sorted[a..b) is a cluster or a part of one.
      const count = b - a;
      if (count < minItems) return;
      const from = sorted[a]!;
      const to = sorted[b - 1]!;
      if (count >= o.rateFactor * rate * (to - from + gap))
        found.push({ from, to, gap, accounts: new Set([account]), members: [] });
    };
    let start = 0;
    for (let k = 1; k <= n; k++) {
      if (k < n && sorted[k]! - sorted[k - 1]! <= gap) continue;
      // A silence much longer than the pace on either side of it splits the cluster.
      let partStart = start;
      for (let j = start + 1; j < k; j++) {
        const silence = sorted[j]! - sorted[j - 1]!;
        if (silence < o.splitMinGapMs) continue;
        const before = Math.max(start, j - 1 - PACE_WINDOW);
        const after = Math.min(k - 1, j + PACE_WINDOW);
        const paceBefore = j - 1 > before ? (sorted[j - 1]! - sorted[before]!) / (j - 1 - before) : 0;
        const paceAfter = after > j ? (sorted[after]! - sorted[j]!) / (after - j) : 0;
        if (silence < o.splitFactor * Math.max(paceBefore, paceAfter)) continue;
        judge(partStart, j);
        partStart = j;
      }
      judge(partStart, k);
      start = k;
    }
    if (found.length === 0) continue;
    // Events of one account are disjoint and in order: find each item's by binary search.
    for (const i of idx) {
      const t = times[i]!;
      let lo = 0;
      let hi = found.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (found[mid]!.from <= t) lo = mid;
        else hi = mid - 1;
      }
      const span = found[lo]!;
      if (t >= span.from && t <= span.to) span.members.push(i);
    }
    for (const span of found) {
      span.members.sort(
        (a, b) => times[a]! - times[b]! || (items[a]!.key < items[b]!.key ? -1 : items[a]!.key > items[b]!.key ? 1 : 0),
      );
      spans.push(span);
    }
  }

  // One incident across accounts: merge overlapping events.
  spans.sort((a, b) => a.from - b.from);
  const merged: Span[] = [];
  for (const s of spans) {
    const prev = merged[merged.length - 1];
    if (prev && s.from <= prev.to + Math.max(prev.gap, s.gap) && ![...s.accounts].some((a) => prev.accounts.has(a))) {
      prev.to = Math.max(prev.to, s.to);
      prev.gap = Math.max(prev.gap, s.gap);
      for (const a of s.accounts) prev.accounts.add(a);
      prev.members = mergeByTime(prev.members, s.members, times);
    } else {
      merged.push({ ...s, accounts: new Set(s.accounts) });
    }
  }

  return merged.map((s) => {
    const accounts = [...s.accounts].sort();
    const from = new Date(s.from).toISOString();
    const to = new Date(s.to).toISOString();
    let bytes = 0;
    const keys = new Array<string>(s.members.length);
    const folders: string[] = new Array<string>(s.members.length);
    for (let j = 0; j < s.members.length; j++) {
      const it = items[s.members[j]!]!;
      keys[j] = it.key;
      folders[j] = it.originalFolder;
      if (it.size !== null && Number.isFinite(it.size)) bytes += it.size;
    }
    return {
      id: eventId(from, to, accounts),
      from,
      to,
      count: keys.length,
      bytes,
      accounts,
      topFolder: topFolder(folders),
      keys,
    };
  });
}

function mergeByTime(a: number[], b: number[], times: Float64Array): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && times[a[i]!]! <= times[b[j]!]!)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}

/** "ev-" + FNV-1a (32-bit, hex) of from, to and the sorted accounts. */
export function eventId(from: string, to: string, accounts: readonly string[]): string {
  const s = `${from}|${to}|${[...accounts].sort().join(',')}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `ev-${(h >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * The folder and each of its ancestors, as display strings: "/A/B" → "/", "/A", "/A/B";
 * "My documents / Reports" → "My documents", "My documents / Reports".
 */
function ancestry(folder: string): string[] {
  const out: string[] = [];
  const rooted = folder.startsWith('/');
  if (rooted) out.push('/');
  let at = rooted ? 1 : 0;
  for (;;) {
    const next = folder.indexOf('/', at);
    const prefix = (next < 0 ? folder : folder.slice(0, next)).replace(/\s+$/, '');
    if (prefix && prefix !== '/' && out[out.length - 1] !== prefix) out.push(prefix);
    if (next < 0) break;
    at = next + 1;
  }
  return out;
}

/**
 * The deepest folder whose subtree holds more than half of the items (ties: the most items);
 * when no folder does (items from unrelated roots), the folder holding the most of them.
 */
export function topFolder(folders: readonly string[]): string {
  if (folders.length === 0) return '';
  const direct = new Map<string, number>();
  for (const f of folders) direct.set(f, (direct.get(f) ?? 0) + 1);
  const subtree = new Map<string, { count: number; depth: number }>();
  for (const [f, c] of direct) {
    const chain = ancestry(f);
    chain.forEach((p, depth) => {
      const cur = subtree.get(p);
      if (cur) cur.count += c;
      else subtree.set(p, { count: c, depth });
    });
  }
  const half = folders.length / 2;
  let best: string | null = null;
  let bestDepth = -1;
  let bestCount = 0;
  for (const [p, { count, depth }] of subtree) {
    if (count <= half) continue;
    if (depth > bestDepth || (depth === bestDepth && count > bestCount)) {
      best = p;
      bestDepth = depth;
      bestCount = count;
    }
  }
  if (best !== null) return best;
  let most = '';
  let mostCount = 0;
  for (const [p, { count }] of subtree) {
    if (count > mostCount) {
      most = p;
      mostCount = count;
    }
  }
  return most;
}

export interface Bins {
  /** ms epoch of the first bin's start. */
  start: number;
  /** ms per bin. */
  step: number;
  /** Per account, one value per bin: item count or known bytes. */
  byAccount: Record<string, number[]>;
}

/**
 * Deletions per bin over [from, to] (ms epoch), per account, by count or bytes. Items outside the
 * range or without a deletion time are left out; an item exactly at `to` falls in the last bin.
 * Every account with a dated item gets a row (zeros when none fall in the range), so colours and
 * legends stay put while zooming.
 */
export function binDeletions(
  items: readonly Pick<TrashItem, 'accountId' | 'deletedAt' | 'size'>[],
  opts: { from: number; to: number; bins: number; by: 'count' | 'bytes' },
): Bins {
  const bins = Math.max(1, Math.floor(opts.bins));
  const span = Math.max(0, opts.to - opts.from);
  const step = span / bins;
  const byAccount: Record<string, number[]> = Object.create(null) as Record<string, number[]>;
  const bytes = opts.by === 'bytes';
  for (const it of items) {
    const t = timeOf(it.deletedAt);
    if (Number.isNaN(t)) continue;
    let row = byAccount[it.accountId];
    if (!row) row = byAccount[it.accountId] = new Array<number>(bins).fill(0);
    if (t < opts.from || t > opts.to) continue;
    const b = step > 0 ? Math.min(bins - 1, Math.floor((t - opts.from) / step)) : 0;
    row[b]! += bytes ? (it.size !== null && Number.isFinite(it.size) ? it.size : 0) : 1;
  }
  return { start: opts.from, step, byAccount: { ...byAccount } };
}

const formatters = new Map<string, { day: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();
function formattersFor(timeZone: string | undefined) {
  const k = timeZone ?? '';
  let f = formatters.get(k);
  if (!f) {
    f = {
      day: new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone }),
      time: new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }),
    };
    formatters.set(k, f);
  }
  return f;
}

/** "Tue 28 Nov" (no comma, whatever the engine's en-GB punctuation). */
function dayText(f: Intl.DateTimeFormat, t: number): string {
  const parts = f.formatToParts(t);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('weekday')} ${get('day')} ${get('month')}`;
}

/**
 * "Tue 28 Nov, 14:02–14:05 · 3,214 items · 1.2 GB · mostly /Projects/Client X · Nextcloud (work)".
 * Local time unless `timeZone` is given (an IANA name, e.g. 'UTC'); an event over midnight shows both days.
 */
export function eventSummary(
  e: DeletionEvent,
  accountLabel: (id: string) => string,
  /** `when`: the span in the caller's own date format (the window's, in the user's locale). */
  opts: { timeZone?: string; when?: (from: number, to: number) => string } = {},
): string {
  const f = formattersFor(opts.timeZone);
  const from = Date.parse(e.from);
  const to = Date.parse(e.to);
  const d1 = dayText(f.day, from);
  const d2 = dayText(f.day, to);
  const t1 = f.time.format(from);
  const t2 = f.time.format(to);
  const when = opts.when
    ? opts.when(from, to)
    : d1 === d2
      ? t1 === t2
        ? `${d1}, ${t1}`
        : `${d1}, ${t1}–${t2}`
      : `${d1}, ${t1} – ${d2}, ${t2}`;
  const parts = [when, `${e.count.toLocaleString('en-US')} ${e.count === 1 ? 'item' : 'items'}`];
  if (e.bytes > 0) parts.push(formatBytes(e.bytes));
  if (e.topFolder) parts.push(`mostly ${folderLabel(e.topFolder)}`);
  if (e.accounts.length > 0) parts.push(e.accounts.map(accountLabel).join(', '));
  return parts.join(' · ');
}

const splitSegments = (path: string): string[] =>
  path
    .split('/')
    .map((x) => x.trim())
    .filter((x) => x !== '');

/**
 * An original folder's segments, from the root the window shows down: "/Photos/2024" → Photos, 2024
 * (below "Home"); "Marketing › Campaigns/2025" (an Infinite Scale project space) → Marketing,
 * Campaigns, 2025; "My documents / Reports" → My documents, Reports.
 */
function segmentsOf(folder: string): string[] {
  const f = folder.trim();
  const space = f.startsWith('/') ? -1 : f.indexOf(' › ');
  if (space > 0) return [f.slice(0, space).trim(), ...splitSegments(f.slice(space + 3))];
  return splitSegments(f);
}

const startsWith = (segs: string[], prefix: string[]) =>
  prefix.length <= segs.length && prefix.every((p, i) => segs[i] === p);

/**
 * The items deleted within [from, to] (ms epoch, both ends included), optionally only those whose
 * original folder is `folder` or lies below it, compared by path segments: "/Projects/Client X",
 * "Projects/Client X/", the window's "Home / Projects / Client X", DocSpace's "My documents /
 * Reports" and a project space's "Marketing / Campaigns" (or "Marketing › Campaigns") all work.
 * Items without a deletion time are never in a range. Keeps the items' order.
 */
export function itemsDeletedIn<T extends Pick<TrashItem, 'deletedAt' | 'originalFolder'>>(
  items: readonly T[],
  range: { from?: number | null; to?: number | null; folder?: string | null },
): T[] {
  const from = range.from ?? -Infinity;
  const to = range.to ?? Infinity;
  const prefix = range.folder ? segmentsOf(range.folder) : [];
  // As the window writes it, a WebDAV path starts with "Home" ("Home / Projects / Client X").
  const belowHome = prefix[0] === 'Home' ? prefix.slice(1) : null;
  return items.filter((item) => {
    const t = timeOf(item.deletedAt);
    if (Number.isNaN(t) || t < from || t > to) return false;
    if (prefix.length === 0) return true;
    const segs = segmentsOf(item.originalFolder);
    return (
      startsWith(segs, prefix) ||
      (belowHome !== null && item.originalFolder.trim().startsWith('/') && startsWith(segs, belowHome))
    );
  });
}
