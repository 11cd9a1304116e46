import { describe, expect, it } from 'vitest';
import { binDeletions, detectEvents, eventId, eventSummary, itemsDeletedIn, topFolder, type EventItem } from './events';

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1, 9, 0, 0);

/** A seeded PRNG, so every run sees the same "random" noise. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

let n = 0;
function item(t: number, over: Partial<EventItem> = {}): EventItem {
  n += 1;
  return {
    key: `acc:${n}`,
    accountId: 'acc',
    deletedAt: new Date(t).toISOString(),
    size: 1000,
    originalFolder: '/Misc',
    ...over,
  };
}

/** `count` deletions spread at random over `days` days from T0. */
function noise(count: number, days: number, seed = 1, over: Partial<EventItem> = {}): EventItem[] {
  const r = rng(seed);
  return Array.from({ length: count }, () => item(T0 + r() * days * DAY, over));
}

/** `count` deletions within `seconds` from `start`. */
function burst(count: number, start: number, seconds: number, over: Partial<EventItem> = {}): EventItem[] {
  return Array.from({ length: count }, (_, i) => item(start + (i * seconds * 1000) / count, over));
}

describe('detectEvents', () => {
  it('finds one burst in months of noise, with exactly its items, size and folder', () => {
    const background = noise(200, 180, 7);
    const at = T0 + 90 * DAY + 5 * 3600_000;
    const incident = burst(300, at, 180, { originalFolder: '/Projects/Client X/Drafts', size: 2000 });
    // A few of the incident's items come from elsewhere in the project and from another folder.
    incident.slice(0, 40).forEach((i) => (i.originalFolder = '/Projects/Client X'));
    incident.slice(40, 60).forEach((i) => (i.originalFolder = '/Other'));
    // Keep noise away from the burst so the count is exact.
    const items = [...background.filter((i) => Math.abs(Date.parse(i.deletedAt!) - at) > 10 * MIN), ...incident];
    const events = detectEvents(items);
    expect(events).toHaveLength(1);
    const [e] = events;
    expect(new Set(e!.keys)).toEqual(new Set(incident.map((i) => i.key)));
    expect(e!.count).toBe(300);
    expect(e!.bytes).toBe(600_000);
    expect(e!.accounts).toEqual(['acc']);
    expect(e!.from).toBe(new Date(at).toISOString());
    expect(e!.to).toBe(incident[299]!.deletedAt);
    // 240 of 300 under /Projects/Client X/Drafts: the deepest folder holding most of them.
    expect(e!.topFolder).toBe('/Projects/Client X/Drafts');
  });

  it.each([
    ['within 10 s', 300, 10_000],
    // On the real Nextcloud of this machine: 113 trash entries (same names deleted in one second share one) over 2
    // minutes.
    ['over 2 minutes', 113, 120_000],
  ])(
    'does not start a burst with ordinary deletions seconds before it (issue 20: restoring the event put those back too): burst %s',
    (_, count, span) => {
      // As a server stamps them (whole seconds): 40 deletions about half a second apart from /Misc,
      // nothing for 13 s, then the burst from /Work — the only items in a new trash.
      const at = T0 + 5 * DAY;
      const second = (ms: number) => Math.floor(ms / 1000) * 1000;
      const ordinary = Array.from({ length: 40 }, (_, i) => item(second(at + i * 550), { originalFolder: '/Misc' }));
      const burstStart = second(at + 39 * 550) + 13_000;
      const incident = Array.from({ length: count }, (_, i) =>
        item(second(burstStart + (i * span) / count), { originalFolder: '/Work/F' }),
      );
      const events = detectEvents([...ordinary, ...incident]);
      const big = events.find((e) => e.count >= count);
      expect(big).toBeDefined();
      expect(new Set(big!.keys)).toEqual(new Set(incident.map((i) => i.key)));
      expect(big!.from).toBe(incident[0]!.deletedAt);
      // Restoring by the event's own times takes exactly its items.
      const inRange = itemsDeletedIn([...ordinary, ...incident], {
        from: Date.parse(big!.from),
        to: Date.parse(big!.to),
      });
      expect(inRange.map((i) => i.key).sort()).toEqual([...big!.keys].sort());
      // The ordinary ones are never part of it, whatever becomes of them.
      for (const e of events) if (e !== big) expect(e.keys.some((k) => big!.keys.includes(k))).toBe(false);
    },
  );

  it('keeps a burst with uneven pace whole: pauses of a few seconds do not split it', () => {
    const at = T0 + 7 * DAY;
    // 200 deletions over 4 minutes, one every 1.2 s, with a 9 s pause every 50.
    let t = at;
    const items = Array.from({ length: 200 }, (_, i) => {
      t += i % 50 === 49 ? 9_000 : 1_200;
      return item(t);
    });
    expect(detectEvents([...noise(100, 60, 8), ...items]).map((e) => e.count)).toEqual([200]);
  });

  it('keeps two bursts a few minutes apart as two events', () => {
    const at = T0 + 30 * DAY;
    const items = [
      ...noise(100, 60, 3),
      ...burst(50, at, 60, { originalFolder: '/A' }),
      ...burst(80, at + 5 * MIN, 90, { originalFolder: '/B' }),
    ];
    const events = detectEvents(items);
    expect(events.map((e) => [e.count, e.topFolder])).toEqual([
      [50, '/A'],
      [80, '/B'],
    ]);
    expect(events[0]!.id).not.toBe(events[1]!.id);
  });

  it('finds no event in steady deletions, slow or fast', () => {
    // One every 30 s for three days: everything chains, but at the usual rate.
    const fast = Array.from({ length: 8640 }, (_, i) => item(T0 + i * 30_000 + (i % 7) * 1000));
    expect(detectEvents(fast)).toEqual([]);
    // Random deletions, a few a day for a year.
    expect(detectEvents(noise(1500, 365, 11))).toEqual([]);
    // 50 items over two months.
    expect(detectEvents(noise(50, 60, 5))).toEqual([]);
  });

  it('scales with the trash: a small burst counts in a small trash, not in a busy one', () => {
    const at = T0 + 20 * DAY;
    const small = [...noise(40, 60, 9), ...burst(12, at, 30)];
    expect(detectEvents(small).map((e) => e.count)).toEqual([12]);
    // 50,000 deletions over a month (over 1,600 a day): 12 in 30 s is ordinary there; 400 in 2 minutes is not.
    const busy = [...noise(50_000, 30, 13), ...burst(12, at, 30)];
    expect(detectEvents(busy)).toEqual([]);
    const busyWithIncident = [...busy, ...burst(400, at + 3 * DAY, 120)];
    const events = detectEvents(busyWithIncident);
    expect(events).toHaveLength(1);
    expect(events[0]!.count).toBeGreaterThanOrEqual(400);
    expect(events[0]!.count).toBeLessThan(410);
  });

  it('ignores items without a (valid) deletion time', () => {
    const at = T0 + 10 * DAY;
    const items = [
      ...noise(60, 30, 2),
      ...burst(30, at, 60),
      item(0, { deletedAt: null }),
      item(0, { deletedAt: 'not a date' }),
    ];
    const events = detectEvents(items);
    expect(events).toHaveLength(1);
    expect(events[0]!.count).toBe(30);
    expect(detectEvents([item(0, { deletedAt: null })])).toEqual([]);
    expect(detectEvents([])).toEqual([]);
  });

  it('merges one incident over two accounts, and keeps ids stable for the same items', () => {
    const at = T0 + 40 * DAY;
    const a = [...noise(100, 60, 4, { accountId: 'a' }), ...burst(100, at, 60, { accountId: 'a' })];
    const b = [...noise(100, 60, 6, { accountId: 'b' }), ...burst(100, at + 30_000, 60, { accountId: 'b' })];
    const events = detectEvents([...a, ...b]);
    expect(events).toHaveLength(1);
    expect(events[0]!.accounts).toEqual(['a', 'b']);
    expect(events[0]!.count).toBe(200);
    // Keys are in deletion order.
    const times = events[0]!.keys.map((k) => [...a, ...b].find((i) => i.key === k)!.deletedAt!);
    expect([...times].sort()).toEqual(times);
    expect(detectEvents([...b].reverse().concat(a))[0]!.id).toBe(events[0]!.id);
    expect(events[0]!.id).toBe(eventId(events[0]!.from, events[0]!.to, ['b', 'a']));
  });

  it('handles 100,000 items correctly', () => {
    const items = [...noise(99_000, 365, 21)];
    const at1 = T0 + 100 * DAY;
    const at2 = T0 + 200 * DAY;
    items.push(
      ...burst(600, at1, 240, { originalFolder: '/Photos/2026' }),
      ...burst(400, at2, 60, { originalFolder: '/Work' }),
    );
    const events = detectEvents(items);
    expect(events).toHaveLength(2);
    expect(events.map((e) => e.topFolder)).toEqual(['/Photos/2026', '/Work']);
    expect(events[0]!.count).toBeGreaterThanOrEqual(600);
    expect(events[0]!.count).toBeLessThan(610);
    expect(events[1]!.count).toBeGreaterThanOrEqual(400);
    expect(events[1]!.count).toBeLessThan(410);
  });
});

describe('topFolder', () => {
  it('picks the deepest folder holding more than half, for WebDAV and DocSpace paths', () => {
    expect(topFolder(['/A/B/C', '/A/B/D', '/A/B', '/X'])).toBe('/A/B');
    expect(topFolder(['/A/B/C', '/A/B/C', '/A/X'])).toBe('/A/B/C');
    expect(topFolder(['/A', '/B'])).toBe('/');
    expect(topFolder(['My documents / Reports / Q3', 'My documents / Reports', 'Room 1'])).toBe(
      'My documents / Reports',
    );
    expect(topFolder(['Room 1', 'Room 2', 'Room 2 / X'])).toBe('Room 2');
    expect(topFolder(['Room 1', 'Room 2'])).toBe('Room 1');
    expect(topFolder([])).toBe('');
  });
});

describe('binDeletions', () => {
  const items = [
    { accountId: 'a', deletedAt: new Date(T0).toISOString(), size: 10 },
    { accountId: 'a', deletedAt: new Date(T0 + 59_999).toISOString(), size: 5 },
    { accountId: 'a', deletedAt: new Date(T0 + 60_000).toISOString(), size: null },
    { accountId: 'b', deletedAt: new Date(T0 + 180_000).toISOString(), size: 7 },
    { accountId: 'b', deletedAt: new Date(T0 + 500_000).toISOString(), size: 7 },
    { accountId: 'c', deletedAt: null, size: 7 },
  ];
  it('counts per account and bin, the end in the last bin, outside left out', () => {
    const bins = binDeletions(items, { from: T0, to: T0 + 180_000, bins: 3, by: 'count' });
    expect(bins).toEqual({ start: T0, step: 60_000, byAccount: { a: [2, 1, 0], b: [0, 0, 1] } });
  });
  it('sums known bytes', () => {
    const bins = binDeletions(items, { from: T0, to: T0 + 180_000, bins: 3, by: 'bytes' });
    expect(bins.byAccount).toEqual({ a: [15, 0, 0], b: [0, 0, 7] });
  });
  it('keeps a zero row for accounts with nothing in range', () => {
    expect(binDeletions(items, { from: T0 + 400_000, to: T0 + 410_000, bins: 2, by: 'count' }).byAccount).toEqual({
      a: [0, 0],
      b: [0, 0],
    });
  });
});

describe('eventSummary', () => {
  const e = {
    id: 'ev-1',
    from: '2026-11-24T14:02:10.000Z',
    to: '2026-11-24T14:05:59.000Z',
    count: 3214,
    bytes: 1_234_000_000,
    accounts: ['w'],
    topFolder: '/Projects/Client X',
    keys: [],
  };
  const label = (id: string) => (id === 'w' ? 'Nextcloud (work)' : id);
  it('reads like the issue', () => {
    expect(eventSummary(e, label, { timeZone: 'UTC' })).toBe(
      'Tue 24 Nov, 14:02–14:05 · 3,214 items · 1.2 GB · mostly Home / Projects / Client X · Nextcloud (work)',
    );
  });
  it('shows both days over midnight, one item, no size when unknown, several accounts', () => {
    const s = eventSummary(
      { ...e, from: '2026-11-24T23:58:00Z', to: '2026-11-25T00:03:00Z', count: 1, bytes: 0, accounts: ['w', 'x'] },
      label,
      { timeZone: 'UTC' },
    );
    expect(s).toBe(
      'Tue 24 Nov, 23:58 – Wed 25 Nov, 00:03 · 1 item · mostly Home / Projects / Client X · Nextcloud (work), x',
    );
  });
});

describe('itemsDeletedIn', () => {
  const at = (iso: string, folder: string) => ({ deletedAt: iso, originalFolder: folder });
  const items = [
    at('2026-11-24T14:01:59Z', '/Projects/Client X'),
    at('2026-11-24T14:02:00Z', '/Projects/Client X/Drafts'),
    at('2026-11-24T14:03:00Z', '/Projects/Client XY'),
    at('2026-11-24T14:05:00Z', '/Other'),
    at('2026-11-24T14:05:01Z', '/Projects/Client X'),
    { deletedAt: null, originalFolder: '/Projects/Client X' },
    at('2026-11-24T14:04:00Z', 'My documents / Reports / Q3'),
  ];
  const from = Date.parse('2026-11-24T14:02:00Z');
  const to = Date.parse('2026-11-24T14:05:00Z');
  it('keeps the range, ends included, and an optional folder by whole segments', () => {
    expect(itemsDeletedIn(items, { from, to })).toEqual([items[1], items[2], items[3], items[6]]);
    expect(itemsDeletedIn(items, { from, to, folder: '/Projects/Client X/' })).toEqual([items[1]]);
    expect(itemsDeletedIn(items, { from, to, folder: 'My documents/Reports' })).toEqual([items[6]]);
    expect(itemsDeletedIn(items, { folder: '/Projects' })).toHaveLength(4);
    // As the window writes locations.
    expect(itemsDeletedIn(items, { from, to, folder: 'Home / Projects / Client X' })).toEqual([items[1]]);
    expect(itemsDeletedIn(items, { folder: 'Home' })).toHaveLength(5);
    const space = [
      at('2026-11-24T14:02:00Z', 'Marketing › Campaigns/2025'),
      at('2026-11-24T14:02:00Z', 'Marketing › Campaigns 2'),
    ];
    expect(itemsDeletedIn(space, { folder: 'Marketing / Campaigns' })).toEqual([space[0]]);
    expect(itemsDeletedIn(space, { folder: 'Marketing › Campaigns/2025' })).toEqual([space[0]]);
  });
});
