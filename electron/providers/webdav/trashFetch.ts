import { BODY_BUDGET, defaultHttpOptions, httpOptionsForAccount, httpRequest } from '../../net/http';
import type { TrashParseSession } from './trashParse';

/** A trash PROPFIND as the listing worker sends it (headers already include Authorization). */
export interface WorkerRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs?: number;
  userAgent?: string;
  /** The account's pinned self-signed certificate, when the user trusted one. */
  trustedCertFingerprint?: string;
}

/** Sends the request and feeds its body to a parse session; reports through post. */
export async function fetchAndParse(
  request: WorkerRequest,
  session: TrashParseSession,
  signal: AbortSignal,
  post: (m: { type: 'status'; status: number; body: string } | { type: 'done' }) => void,
): Promise<void> {
  const res = await httpRequest(
    // Streamed: the body comes as it arrives, within the listing budget and pace (net/http.ts).
    { method: request.method, url: request.url, headers: request.headers, body: request.body, signal, idempotent: true, read: 'stream', maxBytes: BODY_BUDGET.listing },
    httpOptionsForAccount(
      { trustedCertFingerprint: request.trustedCertFingerprint },
      { ...defaultHttpOptions, ...(request.timeoutMs ? { timeoutMs: request.timeoutMs } : {}), ...(request.userAgent ? { userAgent: request.userAgent } : {}) },
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
