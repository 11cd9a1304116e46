import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The HTTP side every test server shares, without the control API: read the body, run the front
 * end, listen on 127.0.0.1. Demo mode serves through serve() below; tests, benches and `npm run
 * servers` go through control.ts's listen(), which wraps the same front end with the control API
 * (reset, seed, faults, latency, transports, the request log). control.ts and faults.ts are
 * test-only: the app's bundle entries never reach them (rule app-not-test-server-control in
 * .dependency-cruiser.js).
 */

/** A front end: answers a request whose body has already been read. */
export type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>;

export const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/** A front end that threw: a 500 naming the bug, unless the client or a fault already ended the exchange. */
export function answerBug(req: IncomingMessage, res: ServerResponse, e: unknown): void {
  if (res.destroyed || req.socket.destroyed) return;
  if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
  res.end(`test server bug: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
}

/** Listens on 127.0.0.1 (port 0 = any free port); answers the server and its URL. */
export async function listenOn(listener: RequestListener, port = 0): Promise<{ server: Server; url: string }> {
  const server: Server = createServer(listener);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${actual}` };
}

/** Closes a server and every connection it holds. */
export const closeServer = (server: Server): Promise<void> =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

export interface ServingServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves a front end as demo mode does: every request waits `latencyMs` (default none), then the
 * front end answers; keep-alive, each answer as the front end writes it.
 */
export async function serve(
  handler: Handler,
  options: { port?: number; latencyMs?: number } = {},
): Promise<ServingServer> {
  const latencyMs = Math.max(0, options.latencyMs ?? 0);
  const { server, url } = await listenOn((req, res) => {
    void (async () => {
      const body = await readBody(req);
      if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
      await handler(req, res, body);
    })().catch((e: unknown) => answerBug(req, res, e));
  }, options.port ?? 0);
  return { url, close: () => closeServer(server) };
}
