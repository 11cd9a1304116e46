import { describe, expect, it } from 'vitest';
import { currentPace, forEachPaced, Pace, Throughput, type PaceOptions } from './pace';

/**
 * The pace is checked on virtual time: a clock the test moves, timers that fire when it does, and
 * a server model with a number of workers and a service time. Nothing here waits on the real
 * clock; the assertions are on counts and decisions.
 */
class VirtualTime {
  now = 0;
  private timers: { at: number; resolve: () => void }[] = [];

  sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => this.timers.push({ at: this.now + Math.max(0, ms), resolve }));

  /** Runs until `work` settles: lets every ready promise run, then moves the clock to the next timer. */
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    void work.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (let steps = 0; ; steps++) {
      await new Promise((r) => setImmediate(r));
      if (settled) return work;
      if (steps > 1_000_000) throw new Error('virtual time: too many steps');
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next) throw new Error('virtual time: nothing left to wait for, but the work has not ended');
      this.now = next.at;
      const due = this.timers.filter((t) => t.at <= this.now);
      this.timers = this.timers.filter((t) => t.at > this.now);
      for (const t of due) t.resolve();
    }
  }
}

/** A server with `workers` that each take `serviceMs` per request; the rest queue (answers slow down). */
class ModelServer {
  inFlight = 0;
  handled = 0;
  refused = 0;
  /** Arrival times of requests it refused or served. */
  arrivals: number[] = [];
  private busy = 0;
  private readonly queue: (() => void)[] = [];

  constructor(
    private readonly vt: VirtualTime,
    public workers: number,
    public serviceMs: number,
    /** Refuse with 503 (Retry-After) when more than this many are in flight. */
    public refuseAbove: number | null = null,
    public retryAfterMs: number | null = 1000,
  ) {}

  async request(): Promise<{ status: number; ms: number }> {
    const t0 = this.vt.now;
    this.arrivals.push(t0);
    if (this.refuseAbove !== null && this.inFlight >= this.refuseAbove) {
      this.refused++;
      await this.vt.sleep(1);
      return { status: 503, ms: this.vt.now - t0 };
    }
    this.inFlight++;
    if (this.busy >= this.workers) await new Promise<void>((r) => this.queue.push(r));
    this.busy++;
    await this.vt.sleep(this.serviceMs);
    this.busy--;
    this.queue.shift()?.();
    this.inFlight--;
    this.handled++;
    return { status: 201, ms: this.vt.now - t0 };
  }
}

/** One item: a request, reported to the batch's pace as the HTTP layer does. */
const itemAgainst = (server: ModelServer, seen: Map<number, number>) => async (item: number) => {
  seen.set(item, (seen.get(item) ?? 0) + 1);
  const answer = await server.request();
  if (answer.status === 503) currentPace()?.pushback(503, server.retryAfterMs);
};

const paceOn = (vt: VirtualTime, options: Partial<PaceOptions> = {}) =>
  new Pace({ start: 2, now: () => vt.now, wait: (ms) => vt.sleep(ms), ...options });
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('adaptive pace', () => {
  it('grows while items per second grow and settles near what the server can take', async () => {
    const vt = new VirtualTime();
    const server = new ModelServer(vt, 8, 20);
    const pace = paceOn(vt);
    const seen = new Map<number, number>();
    await vt.run(forEachPaced(range(3000), pace, new AbortController().signal, itemAgainst(server, seen)));

    expect(seen.size).toBe(3000);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(server.handled).toBe(3000);
    expect(pace.counts.grow).toBeGreaterThan(0);
    expect(pace.counts.settle).toBeGreaterThan(0);
    expect(pace.counts['back-off']).toBe(0);
    // 8 workers: it went past 2, and not far past what the workers take.
    expect(pace.limit).toBeGreaterThanOrEqual(8);
    expect(pace.limit).toBeLessThanOrEqual(16);
    expect(Math.max(...pace.decisions.flatMap((d) => ('to' in d ? [d.to] : [d.limit])))).toBeLessThanOrEqual(24);
  });

  it('never has more items in flight than its limit', async () => {
    const vt = new VirtualTime();
    const server = new ModelServer(vt, 4, 20);
    const pace = paceOn(vt, { start: 3 });
    let inFlight = 0;
    let over = 0;
    const seen = new Map<number, number>();
    const inner = itemAgainst(server, seen);
    await vt.run(
      forEachPaced(range(500), pace, new AbortController().signal, async (i) => {
        inFlight++;
        if (inFlight > pace.limit) over++;
        await inner(i);
        inFlight--;
      }),
    );
    expect(over).toBe(0);
    expect(seen.size).toBe(500);
  });

  it('steps down when the server slows down, and back up once stepping down costs items per second', async () => {
    const vt = new VirtualTime();
    const server = new ModelServer(vt, 8, 20);
    const pace = paceOn(vt);
    const seen = new Map<number, number>();
    const inner = itemAgainst(server, seen);
    let limitBefore = 0;
    let slowBefore = -1;
    await vt.run(
      forEachPaced(range(4000), pace, new AbortController().signal, async (i) => {
        if (i === 1500) {
          // Another job takes the server: two workers left, five times slower.
          limitBefore = pace.limit;
          slowBefore = pace.counts.slow;
          server.workers = 2;
          server.serviceMs = 100;
        }
        await inner(i);
      }),
    );
    expect(seen.size).toBe(4000);
    expect(limitBefore).toBeGreaterThanOrEqual(8);
    expect(slowBefore).toBeGreaterThanOrEqual(0);
    expect(pace.counts.slow).toBeGreaterThan(slowBefore);
    // It does not stay at one item at a time: two workers keep two busy.
    expect(pace.limit).toBeGreaterThanOrEqual(2);
    expect(pace.limit).toBeLessThanOrEqual(4);
  });

  it('backs off on 503 and sends nothing before its Retry-After has passed', async () => {
    const vt = new VirtualTime();
    const server = new ModelServer(vt, 16, 20, 6, 1000);
    const pace = paceOn(vt, { start: 12 });
    const seen = new Map<number, number>();
    const pushbackTimes: number[] = [];
    const inner = itemAgainst(server, seen);
    await vt.run(
      forEachPaced(range(2000), pace, new AbortController().signal, async (i) => {
        const before = pace.pushbacks;
        const t0 = vt.now;
        await inner(i);
        if (pace.pushbacks > before) pushbackTimes.push(t0);
      }),
    );
    const backOffs = pace.decisions.filter((d) => d.kind === 'back-off');
    expect(backOffs.length).toBeGreaterThan(0);
    expect(backOffs[0]).toMatchObject({ from: 12, to: 6, status: 503, waitMs: 1000 });
    expect(server.refused).toBeGreaterThan(0);
    // Few refusals in all: it learnt where the server's limit is.
    expect(server.refused).toBeLessThan(100);
    // No request arrived within a Retry-After (1 s) of a refused one's arrival + its 1 ms answer.
    for (const t of pushbackTimes) {
      const during = server.arrivals.filter((a) => a > t + 1 && a < t + 1 + 1000);
      expect(during).toEqual([]);
    }
    expect(seen.size).toBe(2000);
  });

  it('pauses without Retry-After, longer while the pushback repeats', () => {
    let now = 0;
    const pace = new Pace({ start: 8, now: () => now, pauseMs: 500 });
    pace.pushback(503, null);
    expect(pace.heldFor()).toBe(500);
    now = 500;
    pace.pushback(429, null);
    expect(pace.heldFor()).toBe(1000);
    // Halved once per window, however many refusals came in it.
    expect(pace.limit).toBe(4);
    expect(pace.decisions).toEqual([{ kind: 'back-off', from: 8, to: 4, status: 503, waitMs: 500 }]);
  });

  it('keeps a fixed limit when not adaptive (a number, or adaptive: false)', async () => {
    const vt = new VirtualTime();
    const seen = new Map<number, number>();
    const pace = await vt.run(
      forEachPaced(range(200), 5, new AbortController().signal, itemAgainst(new ModelServer(vt, 8, 20), seen)),
    );
    expect(pace.limit).toBe(5);
    expect(pace.decisions).toEqual([]);
    expect(seen.size).toBe(200);
    // Not adaptive: a 503 still holds the next requests for its Retry-After, but the limit stays.
    const fixed = paceOn(vt, { start: 5, adaptive: false });
    const refusing = new ModelServer(vt, 8, 20, 3, 100);
    await vt.run(forEachPaced(range(200), fixed, new AbortController().signal, itemAgainst(refusing, new Map())));
    expect(refusing.refused).toBeGreaterThan(0);
    expect(fixed.limit).toBe(5);
    expect(fixed.decisions).toEqual([]);
  });

  it('starts nothing more once cancelled, and rethrows the first failure after the items in flight', async () => {
    const vt = new VirtualTime();
    const server = new ModelServer(vt, 8, 20);
    const stop = new AbortController();
    const started: number[] = [];
    await vt.run(
      forEachPaced(range(100), paceOn(vt, { start: 4 }), stop.signal, async (i) => {
        started.push(i);
        if (i === 10) stop.abort();
        await server.request();
      }),
    );
    expect(started.length).toBeLessThanOrEqual(14);
    let finished = 0;
    const failing = forEachPaced(
      range(100),
      paceOn(vt, { start: 4, adaptive: false }),
      new AbortController().signal,
      async (i) => {
        await server.request();
        finished++;
        if (i === 5) throw new Error('boom');
      },
    );
    await expect(vt.run(failing)).rejects.toThrow('boom');
    expect(finished).toBeLessThan(12);
  });
});

describe('throughput', () => {
  it('says nothing before 2 s and 3 items, then items per second over the last 20 s and the time left', () => {
    let now = 0;
    const t = new Throughput(() => now);
    t.update(0);
    now = 1000;
    t.update(5);
    expect(t.rate()).toBeNull();
    now = 2000;
    t.update(10);
    expect(t.rate()).toBe(5);
    expect(t.secondsLeft(100)).toBe(20);
    // The pace doubles for 40 s: the old samples leave the window.
    for (let s = 3; s <= 42; s++) {
      now = s * 1000;
      t.update(10 + (s - 2) * 10);
    }
    expect(t.rate()).toBeCloseTo(10, 0);
  });
});
