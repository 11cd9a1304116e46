import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FileTree } from './tree';

/**
 * The control API every test server shares (ownCloud 10, Nextcloud, oCIS, DocSpace): reset, seed,
 * latency and fault injection. In-process callers use the Control object; other processes (the
 * e2e tests, `npm run servers`) use the same operations over HTTP under `/__control/`:
 *
 *   POST /__control/reset                       → 204 (back to the front end's initial seed)
 *   POST /__control/seed    {user, count, folder?, prefix?} → 200 {"count": n}
 *   POST /__control/latency {ms}                → 204
 *   POST /__control/fault   {method?, path?, status, body?, headers?, times?} → 204
 *   POST /__control/faults/clear                → 204
 *   GET  /__control/state?user=alice            → 200 tree snapshot of that user
 *   GET  /__control/requests                    → 200 the last requests seen [{method, path, headers}]
 */

export interface Fault {
  /** Matches any method when absent. Case-insensitive. */
  method?: string | undefined;
  /** Substring of the raw (still percent-encoded) path, or a RegExp over it; any path when absent. */
  path?: string | RegExp | undefined;
  status: number;
  body?: string | undefined;
  headers?: Record<string, string> | undefined;
  /** How many matching requests answer with this fault (default 1). Infinity for all. */
  times?: number | undefined;
  /** Destroy the socket instead of answering (a network failure). */
  drop?: boolean | undefined;
}

export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

export class Control {
  latencyMs = 0;
  private faults: (Fault & { left: number })[] = [];
  readonly seen: SeenRequest[] = [];

  constructor(
    readonly tree: FileTree,
    /** Puts the tree back into the front end's initial state. */
    private readonly initialise: (tree: FileTree) => void,
  ) {}

  reset(): void {
    this.tree.reset();
    this.latencyMs = 0;
    this.faults = [];
    this.seen.length = 0;
    this.initialise(this.tree);
  }

  /** Adds `count` files to a user's trash (fast: 100k in well under a second). */
  seed(user: string, count: number, options: { folder?: string; prefix?: string } = {}): number {
    this.tree.seedTrash(user, count, options);
    return count;
  }

  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  /** The next `times` requests matching method and path answer with this status and body. */
  fault(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Takes the first fault matching a request, counting it down. */
  takeFault(method: string, path: string): Fault | null {
    const i = this.faults.findIndex(
      (f) =>
        (!f.method || f.method.toUpperCase() === method.toUpperCase()) &&
        (!f.path || (typeof f.path === 'string' ? path.includes(f.path) : f.path.test(path))),
    );
    if (i < 0) return null;
    const fault = this.faults[i]!;
    fault.left -= 1;
    if (fault.left <= 0) this.faults.splice(i, 1);
    return fault;
  }
}

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

export type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>;

/**
 * Wraps a front end's handler with the control API: control routes, recorded requests, latency
 * and injected faults, then the front end.
 */
export function withControl(control: Control, handler: Handler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void (async () => {
      const body = await readBody(req);
      const rawPath = req.url ?? '/';
      if (rawPath.startsWith('/__control/')) return controlRoute(control, req, res, body);
      control.seen.push({ method: req.method ?? 'GET', path: rawPath, headers: { ...req.headers } });
      if (control.seen.length > 500) control.seen.shift();
      if (control.latencyMs > 0) await new Promise((r) => setTimeout(r, control.latencyMs));
      const fault = control.takeFault(req.method ?? 'GET', rawPath);
      if (fault) {
        if (fault.drop) {
          req.socket.destroy();
          return;
        }
        res.writeHead(fault.status, { 'Content-Type': 'application/xml; charset=utf-8', ...fault.headers });
        res.end(fault.body ?? '');
        return;
      }
      await handler(req, res, body);
    })().catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`test server bug: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    });
  };
}

function controlRoute(control: Control, req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const json = () => (body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {});
  const send = (status: number, value?: unknown) => {
    res.writeHead(status, value === undefined ? {} : { 'Content-Type': 'application/json' });
    res.end(value === undefined ? '' : JSON.stringify(value));
  };
  try {
    switch (`${req.method} ${url.pathname}`) {
      case 'POST /__control/reset':
        control.reset();
        return send(204);
      case 'POST /__control/seed': {
        const b = json();
        const count = control.seed(String(b.user), Number(b.count), {
          ...(typeof b.folder === 'string' ? { folder: b.folder } : {}),
          ...(typeof b.prefix === 'string' ? { prefix: b.prefix } : {}),
        });
        return send(200, { count });
      }
      case 'POST /__control/latency':
        control.setLatency(Number(json().ms ?? 0));
        return send(204);
      case 'POST /__control/fault': {
        const b = json();
        control.fault({
          method: typeof b.method === 'string' ? b.method : undefined,
          path: typeof b.path === 'string' ? b.path : undefined,
          status: Number(b.status ?? 500),
          body: typeof b.body === 'string' ? b.body : undefined,
          headers: (b.headers as Record<string, string> | undefined) ?? undefined,
          times: b.times === undefined ? 1 : Number(b.times),
          drop: Boolean(b.drop),
        });
        return send(204);
      }
      case 'POST /__control/faults/clear':
        control.clearFaults();
        return send(204);
      case 'GET /__control/state':
        return send(200, control.tree.snapshot(url.searchParams.get('user') ?? ''));
      case 'GET /__control/requests':
        return send(200, control.seen);
      default:
        return send(404, { error: 'no such control route' });
    }
  } catch (e) {
    return send(400, { error: e instanceof Error ? e.message : String(e) });
  }
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
  control: Control;
}

/** Listens on 127.0.0.1 (port 0 = any free port) and answers through the control wrapper. */
export async function listen(control: Control, handler: Handler, port = 0): Promise<RunningServer> {
  const server: Server = createServer(withControl(control, handler));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    control,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
