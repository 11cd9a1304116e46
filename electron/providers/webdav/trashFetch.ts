import { BODY_BUDGET, defaultHttpOptions, httpOptionsForAccount, httpRequest } from '../../net/http';
import type { TrashParseSession } from './trashParse';

/** A trash PROPFIND as the listing worker sends it (headers already include Authorization). */
export interface WorkerRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs?: number;
  /** Tests only: the account's HttpOptions.pauseCapMs, for the listing's retries. */
  pauseCapMs?: number;
  userAgent?: string;
  /** The account's pinned self-signed certificate, when the user trusted one. */
  trustedCertFingerprint?: string;
}

/**
 * How many chunks of parsed items (~1,000 each) a listing may hand on before its reader has taken
 * them: beyond that the body is not read on until it does. A consumer that is slow (the command
 * line writing to a pipe) or gone (stopped after the first chunk) holds a few thousand items in
 * memory, not the rest of the server's answer; one that keeps up never waits.
 */
export const CHUNKS_AHEAD = 4;

/** Counts the chunks handed on and not yet taken; `ready()` is a promise while there are CHUNKS_AHEAD of them. */
export class ChunkCredit {
  private out = 0;
  private limit = CHUNKS_AHEAD;
  private wake: (() => void) | null = null;

  sent(): void {
    this.out += 1;
  }

  taken(): void {
    this.out = Math.max(0, this.out - 1);
    if (this.out < this.limit) this.resume();
  }

  /** Stops holding back for good (the listing was aborted: its reading loop must see that). */
  release(): void {
    this.limit = Infinity;
    this.resume();
  }

  ready(): Promise<void> | undefined {
    if (this.out < this.limit) return undefined;
    return new Promise<void>((resolve) => (this.wake = resolve));
  }

  private resume(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

/**
 * Sends the request and feeds its body to a parse session; reports through post. Reading waits on `credit` (see
 * CHUNKS_AHEAD).
 */
export async function fetchAndParse(
  request: WorkerRequest,
  session: TrashParseSession,
  signal: AbortSignal,
  post: (m: { type: 'status'; status: number; body: string } | { type: 'done' }) => void,
  credit?: ChunkCredit,
): Promise<void> {
  const res = await httpRequest(
    // Streamed: the body comes as it arrives, within the listing budget and pace (net/http.ts).
    {
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: request.body,
      signal,
      idempotent: true,
      read: 'stream',
      maxBytes: BODY_BUDGET.listing,
    },
    httpOptionsForAccount(
      { trustedCertFingerprint: request.trustedCertFingerprint },
      {
        ...defaultHttpOptions,
        ...(request.timeoutMs ? { timeoutMs: request.timeoutMs } : {}),
        ...(request.pauseCapMs !== undefined ? { pauseCapMs: request.pauseCapMs } : {}),
        ...(request.userAgent ? { userAgent: request.userAgent } : {}),
      },
    ),
  );
  if (res.status !== 207 || !res.body) {
    post({ type: 'status', status: res.status, body: await res.text().catch(() => '') });
    return;
  }
  const reader = res.body.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (signal.aborted) throw new Error('aborted');
      if (value?.byteLength) {
        const parsed = session.write(value);
        if (parsed) await parsed;
        const ready = credit?.ready();
        if (ready) await ready;
        if (signal.aborted) throw new Error('aborted');
      }
    }
    finished = true;
  } finally {
    // Stopped early (cancel, a parse error): close the connection now rather than at its time-out.
    if (!finished) await reader.cancel().catch(() => undefined);
  }
  session.end();
  post({ type: 'done' });
}
