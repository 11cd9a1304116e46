import { BroadcastChannel, isMainThread } from 'node:worker_threads';

/**
 * Requests that keep the user waiting. httpRequest reports a request still without its whole
 * answer after SLOW_AFTER_MS, then every SLOW_EVERY_MS until it ends (the body counts: a server
 * that sends its headers and then trickles the body is as slow as one that says nothing); the
 * services show it as the running batch's current line and the command line prints it, so a
 * silent server never means a silent app.
 *
 * Requests sent from a worker thread (the listing worker's PROPFINDs) are reported too: a worker
 * posts its reports on a BroadcastChannel that the main thread listens to while it has listeners.
 */
export interface SlowRequest {
  /** host[:port] of the server. */
  host: string;
  method: string;
  waitedMs: number;
  /** The request's own time-out. */
  timeoutMs: number;
}

export const SLOW_AFTER_MS = 5_000;
export const SLOW_EVERY_MS = 5_000;

type Listener = (slow: SlowRequest) => void;
const listeners = new Set<Listener>();
const CHANNEL = 'salvage:slow-requests';
/** Main thread: hears the workers' reports while anyone listens. Worker: where its reports go. */
let channel: BroadcastChannel | null = null;

function deliver(slow: SlowRequest): void {
  for (const l of listeners) l(slow);
}

function isSlowRequest(v: unknown): v is SlowRequest {
  const s = v as Partial<SlowRequest> | null;
  return (
    typeof s?.host === 'string' &&
    typeof s.method === 'string' &&
    typeof s.waitedMs === 'number' &&
    typeof s.timeoutMs === 'number'
  );
}

export function onSlowRequest(listener: Listener): () => void {
  listeners.add(listener);
  if (isMainThread && !channel) {
    channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = (event) => {
      const data = (event as { data?: unknown }).data;
      if (isSlowRequest(data)) deliver(data);
    };
    channel.unref();
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && isMainThread && channel) {
      channel.close();
      channel = null;
    }
  };
}

function report(slow: SlowRequest): void {
  if (isMainThread) return deliver(slow);
  if (!channel) {
    channel = new BroadcastChannel(CHANNEL);
    channel.unref();
  }
  channel.postMessage(slow);
}

/**
 * Starts watching one request; call the returned function when it has its whole answer or failed.
 * `waited` says how long the request has been keeping the user waiting right now (default: since
 * it started); when it answers null, or less than SLOW_AFTER_MS, nothing is reported at that tick.
 */
export function watchRequest(url: string, method: string, timeoutMs: number, waited?: () => number | null): () => void {
  // In the main thread nobody hears a report without a listener; a worker cannot know, so it always reports.
  if (isMainThread && listeners.size === 0) return () => {};
  const host = new URL(url).host;
  const started = Date.now();
  const elapsed = waited ?? (() => Date.now() - started);
  let stopped = false;
  let timer: NodeJS.Timeout;
  const tick = () => {
    if (stopped) return;
    const waitedMs = elapsed();
    // Half a second of slack: a tick that lands just as a trickled byte arrives still reports "5 s".
    if (waitedMs !== null && waitedMs >= SLOW_AFTER_MS - 500) report({ host, method, waitedMs, timeoutMs });
    timer = setTimeout(tick, SLOW_EVERY_MS);
    timer.unref?.();
  };
  timer = setTimeout(tick, SLOW_AFTER_MS);
  timer.unref?.();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** "Still waiting for cloud.example.com (15 s of 30 s)…" */
export const slowText = (s: SlowRequest) =>
  `Still waiting for ${s.host} (${Math.round(s.waitedMs / 1000)} s of ${Math.round(s.timeoutMs / 1000)} s)…`;
