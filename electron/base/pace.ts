import { AsyncLocalStorage } from 'node:async_hooks';
import { AppError } from './errors';

/**
 * Adaptive concurrency for batches that send one write per item (restore, undo, delete): the
 * server sets the pace, not a constant.
 *
 * - The number of items in flight starts at `start` and is decided again after each window of
 *   completed items (at least `max(minWindow, 2 × limit)` of them): it grows by a quarter while the
 *   items per second grow (by more than `gain`), steps back to the last limit that paid when a
 *   larger one brought nothing, and tries one more again after `probeEvery` quiet windows.
 * - It backs off (halves, at most once per window) when the server pushes back: a 429 or 503
 *   answer to any request of the batch. A Retry-After is honoured: no request of the batch is sent
 *   before it has passed (http.ts waits in `ready`); without one, a short pause (`pauseMs`,
 *   doubling while the pushback repeats).
 * - It steps down by a quarter when the server's answers slow down (the window's median item
 * time, start to end of its slot, over `latencyRise` × the best window's) and the items per second did not grow with
 * it;
 *   when a step down costs a quarter of the items per second, the server is simply slower now:
 *   it steps back up and takes that answer time as the new normal.
 *
 * The requests of a batch find its Pace through an AsyncLocalStorage (`currentPace`), so the HTTP
 * layer reports pushbacks and honours holds without the providers passing it along. The clock and
 * the waits are injectable, so tests check the decisions without timing anything.
 */

export type PaceDecision =
  | { kind: 'grow'; from: number; to: number; rate: number }
  | { kind: 'settle'; from: number; to: number; rate: number }
  | { kind: 'hold'; limit: number; rate: number }
  | { kind: 'probe'; from: number; to: number; rate: number }
  | { kind: 'slow'; from: number; to: number; latencyMs: number; bestLatencyMs: number }
  | { kind: 'back-off'; from: number; to: number; status: number; waitMs: number };

export interface PaceOptions {
  /** Items in flight at first (a fixed pace stays there). */
  start: number;
  /** False: a fixed limit (`start`), as tests and the bench's curve ask for. Default true. */
  adaptive?: boolean;
  min?: number;
  max?: number;
  /** Fewest completions a decision is taken on. */
  minWindow?: number;
  /** Growth of items per second that counts as growth (0.1: 10 %). */
  gain?: number;
  /** Answer time over the best window's median × this counts as the server slowing down. */
  latencyRise?: number;
  /** Quiet windows before one more item in flight is tried again. */
  probeEvery?: number;
  /** The first pause after a 429/503 without Retry-After. */
  pauseMs?: number;
  /** Longest wait honoured (a longer Retry-After waits this long; the request's own retry decides the rest). */
  maxWaitMs?: number;
  now?: () => number;
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const PACE_DEFAULTS = {
  min: 1,
  max: 64,
  minWindow: 8,
  gain: 0.1,
  latencyRise: 2,
  probeEvery: 4,
  pauseMs: 1000,
  maxWaitMs: 60_000,
};

/** Cancellable wait on the real clock. */
function realWait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new AppError('CANCELLED', 'Cancelled.'));
    const onAbort = () => {
      clearTimeout(t);
      reject(new AppError('CANCELLED', 'Cancelled.'));
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
};

export class Pace {
  /** Items allowed in flight now. */
  limit: number;
  /** The decisions taken, oldest first (the last 1,000). */
  readonly decisions: PaceDecision[] = [];
  /** How many decisions of each kind were taken. */
  readonly counts: Record<PaceDecision['kind'], number> = {
    grow: 0,
    settle: 0,
    hold: 0,
    probe: 0,
    slow: 0,
    'back-off': 0,
  };
  readonly adaptive: boolean;
  /** Items finished, pushbacks seen (429/503). */
  completed = 0;
  pushbacks = 0;
  private readonly o: Required<Omit<PaceOptions, 'adaptive'>>;
  private windowStart: number | null = null;
  private windowDone = 0;
  private latencies: number[] = [];
  private pushedBack = false;
  /** Pushbacks in a row (windows without one reset it): the pause without Retry-After doubles. */
  private pushbackRun = 0;
  private bestLatency = Infinity;
  /** The last window's items per second. */
  private prevRate: number | null = null;
  /** The last change and the limit before it, judged by the next window. */
  private lastMove: { kind: 'grow' | 'slow'; from: number } | null = { kind: 'grow', from: 0 };
  private quiet = 0;
  /** No request before this time (Retry-After or a pause after a pushback). */
  private holdUntil = 0;

  constructor(options: PaceOptions) {
    this.o = { ...PACE_DEFAULTS, now: () => performance.now(), wait: realWait, ...options };
    this.adaptive = options.adaptive ?? true;
    this.now = this.o.now;
    this.limit = Math.max(this.o.min, Math.min(this.o.max, Math.round(options.start)));
  }

  /** The pace's clock (ms). */
  readonly now: () => number;

  /** Resolves once a Retry-After or a pause after pushback has passed. */
  async ready(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const left = this.holdUntil - this.o.now();
      if (left <= 0) return;
      await this.o.wait(Math.min(left, this.o.maxWaitMs), signal);
    }
  }

  /** How long new requests must still wait (a hold is running), in ms. */
  heldFor(): number {
    return Math.max(0, this.holdUntil - this.o.now());
  }

  /** An item took `ms` from its start to the end of its slot (its write answered, or its failure). */
  took(ms: number): void {
    if (ms >= 0 && Number.isFinite(ms)) this.latencies.push(ms);
  }

  /**
   * The server pushed back (429/503), with its Retry-After in ms when it sent one. `capMs` (tests
   * only: the request's HttpOptions.pauseCapMs) shortens the hold that follows.
   */
  pushback(status: number, retryAfterMs: number | null, capMs?: number): void {
    const waitMs = Math.min(
      this.o.maxWaitMs,
      capMs ?? Infinity,
      retryAfterMs ?? this.o.pauseMs * 2 ** Math.min(6, this.pushbackRun),
    );
    this.pushbacks++;
    this.pushbackRun++;
    this.holdUntil = Math.max(this.holdUntil, this.o.now() + waitMs);
    if (!this.adaptive || this.pushedBack) return;
    this.pushedBack = true;
    const from = this.limit;
    this.limit = Math.max(this.o.min, Math.floor(from / 2));
    // What paid before no longer stands: the server says it has too much.
    this.prevRate = null;
    this.lastMove = null;
    this.quiet = 0;
    this.decide({ kind: 'back-off', from, to: this.limit, status, waitMs });
  }

  /** An item is starting. */
  started(): void {
    this.windowStart ??= this.o.now();
  }

  /** An item has finished (whatever its outcome); after a window of them, the limit is decided again. */
  finished(): void {
    this.completed++;
    this.windowDone++;
    if (!this.adaptive || this.windowDone < Math.max(this.o.minWindow, 2 * this.limit)) return;
    const now = this.o.now();
    const elapsed = now - (this.windowStart ?? now);
    const rate = elapsed > 0 ? (this.windowDone * 1000) / elapsed : Infinity;
    const latency = this.latencies.length ? median(this.latencies) : null;
    const pushedBack = this.pushedBack;
    this.windowStart = now;
    this.windowDone = 0;
    this.latencies = [];
    this.pushedBack = false;
    // A window with a pushback was decided when it came; its rate is not the server's pace.
    if (pushedBack) return;
    this.pushbackRun = 0;
    if (latency !== null) this.bestLatency = Math.min(this.bestLatency, latency);
    const prev = this.prevRate;
    this.prevRate = rate;
    const from = this.limit;
    const slowed = latency !== null && latency > this.bestLatency * this.o.latencyRise;
    const move = this.lastMove;
    this.lastMove = null;
    if (move?.kind === 'grow') {
      if (prev === null || rate > prev * (1 + this.o.gain)) return this.grow(from, rate);
      // The last step up brought nothing: back to where it was.
      this.limit = Math.max(this.o.min, move.from);
      this.prevRate = prev;
      return this.decide({ kind: 'settle', from, to: this.limit, rate });
    }
    if (move?.kind === 'slow' && prev !== null && rate < prev * (1 - 2.5 * this.o.gain)) {
      // Stepping down cost items per second: the server is just slower now. Back up, and take
      // this answer time as its normal one.
      this.limit = move.from;
      if (latency !== null) this.bestLatency = latency;
      this.prevRate = prev;
      return this.decide({ kind: 'settle', from, to: this.limit, rate });
    }
    if (slowed) {
      this.limit = Math.max(this.o.min, from - Math.max(1, Math.ceil(from / 4)));
      if (this.limit < from) this.lastMove = { kind: 'slow', from };
      this.quiet = 0;
      return this.decide({ kind: 'slow', from, to: this.limit, latencyMs: latency, bestLatencyMs: this.bestLatency });
    }
    if (++this.quiet >= this.o.probeEvery && from < this.o.max) {
      this.quiet = 0;
      this.lastMove = { kind: 'grow', from };
      this.limit = from + 1;
      return this.decide({ kind: 'probe', from, to: this.limit, rate });
    }
    this.decide({ kind: 'hold', limit: from, rate });
  }

  private grow(from: number, rate: number): void {
    this.quiet = 0;
    if (from >= this.o.max) return this.decide({ kind: 'hold', limit: from, rate });
    this.lastMove = { kind: 'grow', from };
    this.limit = Math.min(this.o.max, from + Math.max(1, Math.ceil(from / 4)));
    this.decide({ kind: 'grow', from, to: this.limit, rate });
  }

  private decide(d: PaceDecision): void {
    this.counts[d.kind]++;
    this.decisions.push(d);
    if (this.decisions.length > 1000) this.decisions.shift();
  }
}

const scope = new AsyncLocalStorage<Pace>();

/** The pace of the batch this code runs for, if any (the HTTP layer reports to it). */
export const currentPace = (): Pace | undefined => scope.getStore();

/**
 * Runs fn over items with as many in flight as `pace` allows at each moment (a number: that many,
 * fixed; options: a new Pace). Stops starting new ones once the signal aborts; waits out a hold
 * (Retry-After) before starting the next. Each fn runs inside the pace's scope, so its requests
 * report answer times and pushbacks to it.
 */
export async function forEachPaced<T>(
  items: readonly T[],
  pace: Pace | PaceOptions | number,
  signal: AbortSignal,
  fn: (item: T) => Promise<void>,
): Promise<Pace> {
  const p = pace instanceof Pace ? pace : new Pace(typeof pace === 'number' ? { start: pace, adaptive: false } : pace);
  const now = p.now;
  let next = 0;
  let inFlight = 0;
  let failure: { error: unknown } | null = null;
  await new Promise<void>((resolve) => {
    let pumping = false;
    const pump = async () => {
      if (pumping) return;
      pumping = true;
      try {
        while (!failure && !signal.aborted && next < items.length && inFlight < p.limit) {
          if (p.heldFor() > 0) {
            try {
              await p.ready(signal);
            } catch {
              break; // cancelled: start nothing more
            }
            continue;
          }
          const item = items[next++]!;
          inFlight++;
          p.started();
          const t0 = now();
          void scope
            .run(p, () => fn(item))
            .catch((e: unknown) => {
              failure ??= { error: e };
            })
            .finally(() => {
              inFlight--;
              p.took(now() - t0);
              p.finished();
              void pump();
            });
        }
      } finally {
        pumping = false;
      }
      if (inFlight === 0 && (failure || signal.aborted || next >= items.length)) resolve();
    };
    void pump();
  });
  // SALVAGE_PACE_LOG=1: what the pace decided, on stderr (for tuning against a real server).
  if (p.adaptive && process.env.SALVAGE_PACE_LOG) {
    process.stderr.write(
      `pace: ${p.completed} items, limit ${p.limit}, ${JSON.stringify(p.counts)}; last: ${JSON.stringify(p.decisions.slice(-12))}\n`,
    );
  }
  if (failure) throw (failure as { error: unknown }).error;
  return p;
}

/**
 * Items per second over the last `windowMs` (20 s) of a batch, and the time left at that pace:
 * what the batch card and the command line show. Nothing until `minMs` (2 s) and `minItems` (3)
 * have passed, so a batch's first answers do not promise a pace. Clock injectable.
 */
export class Throughput {
  private readonly samples: { at: number; done: number }[] = [];

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly windowMs = 20_000,
    private readonly minMs = 2_000,
    private readonly minItems = 3,
  ) {}

  /** The batch has `done` items with a result now. */
  update(done: number): void {
    const at = this.now();
    const last = this.samples[this.samples.length - 1];
    if (last && last.done === done) return;
    if (last && at - last.at < 100) last.done = done;
    else this.samples.push({ at, done });
    // Keep one sample older than the window as its start.
    while (this.samples.length > 2 && at - this.samples[1]!.at > this.windowMs) this.samples.shift();
  }

  /** Items per second, or null while too little has happened to say. */
  rate(): number | null {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last) return null;
    const ms = this.now() - first.at;
    const items = last.done - first.done;
    if (ms < this.minMs || items < this.minItems) return null;
    return (items * 1000) / ms;
  }

  /** Seconds left for `left` items at the current rate, or null. */
  secondsLeft(left: number): number | null {
    const r = this.rate();
    return r === null || r <= 0 ? null : Math.ceil(left / r);
  }
}
