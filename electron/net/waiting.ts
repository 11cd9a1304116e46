/**
 * Requests that keep the user waiting. httpRequest reports a request still without an answer
 * after SLOW_AFTER_MS, then every SLOW_EVERY_MS until it ends; the services show it as the
 * running batch's current line and the command line prints it, so a silent server never means a
 * silent app.
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

export function onSlowRequest(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Starts watching one request; call the returned function when it has an answer or failed. */
export function watchRequest(url: string, method: string, timeoutMs: number): () => void {
  if (listeners.size === 0) return () => {};
  const host = new URL(url).host;
  const started = Date.now();
  let timer: NodeJS.Timeout;
  const tick = () => {
    for (const l of listeners) l({ host, method, waitedMs: Date.now() - started, timeoutMs });
    timer = setTimeout(tick, SLOW_EVERY_MS);
    timer.unref?.();
  };
  timer = setTimeout(tick, SLOW_AFTER_MS);
  timer.unref?.();
  return () => clearTimeout(timer);
}

/** "Still waiting for cloud.example.com (15 s of 30 s)…" */
export const slowText = (s: SlowRequest) =>
  `Still waiting for ${s.host} (${Math.round(s.waitedMs / 1000)} s of ${Math.round(s.timeoutMs / 1000)} s)…`;
