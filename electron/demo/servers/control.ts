import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { breakBody, errorResponse, loginPage, malformedResponse, type FaultResponse, type ServerKind } from './faults';
import { answerBug, closeServer, listenOn, readBody, type Handler } from './http';
import type { FileTree } from './tree';

/**
 * The control API every test server shares (ownCloud 10, Nextcloud, oCIS, DocSpace): reset, seed,
 * latency and fault injection. In-process callers use the Control object; other processes (the
 * e2e tests, `npm run servers`) use the same operations over HTTP under `/__control/`. Test-only,
 * with faults.ts: tests, benches, the e2e fixtures and `npm run servers` start servers through it
 * (webdav/server.ts, docspace/server.ts); demo mode serves the same front ends through http.ts
 * serve(), and the app's bundle entries never reach this file (.dependency-cruiser.js,
 * app-not-test-server-control). The routes:
 *
 * POST /__control/reset                       → 204 (back to the front end's initial seed; clears faults, ends hung
 * requests)
 * POST /__control/seed    {user, count, folder?, prefix?, endAt?} → 200 {"count": n} (one second apart, the last at
 * endAt: ms or ISO 8601, default now)
 *   POST /__control/latency {ms}                → 204
 *   POST /__control/fault   {…Fault}            → 204 (the original route; takes every field below)
 *   POST /__control/faults  {…Fault}            → 201 {"id": n}
 *   GET  /__control/faults                      → 200 [{id, kind, method, path, nth, left, hits, passed}]
 *   DELETE /__control/faults/<id>               → 204, or 404 when no such fault is pending
 *   POST /__control/faults/clear                → 204 (also ends every hung request: its socket is destroyed)
 *   GET  /__control/hung                        → 200 {"count": n} requests held by a 'hang' fault
 *   POST /__control/hung/release {answer?}      → 200 {"released": n}; answer: true lets them go on and be answered
 *   GET  /__control/state?user=alice            → 200 tree snapshot of that user
 *   POST /__control/history {user, steps: [PastStep…]} → 200 {"created": n, "trashed": n}: builds files
 *                                               and folders and trashes them at given past times, kept the
 *                                               way the server kind keeps deletion times (see PastStep)
 *   GET  /__control/requests                    → 200 the last requests seen [{method, path, headers}]
 *   GET  /__control/counts                      → 200 every request since the last reset, by method {"MOVE": n, …}
 *   POST /__control/transport {preset?, …Transport} → 204: how answers travel from now on (see Transport)
 *   GET  /__control/transport                   → 200 the current Transport
 *
 * Over HTTP a Fault is JSON: `path` is a substring; `pathRegExp` (+ `pathFlags`) a regular
 * expression; `times` may be the string "Infinity"; everything else as below.
 *
 * Faults. `fault({...})` arms one; the first armed fault whose method and path match a request
 * takes it (armed order). A fault fires on its `nth` matching request (default the first; the
 * matching requests before it go through untouched) and then on `times` matching requests in all
 * (default 1, Infinity for all). Kinds, each as a real server or network produces it:
 *
 *   status      (default) answers `status` with `body` and `headers` (legacy: empty body,
 *               Content-Type application/xml). `faithful: true` writes the server kind's own error
 *               instead (faults.ts errorResponse: Sabre XML for Nextcloud/ownCloud, reva's for oCIS,
 *               DocSpace's JSON envelope), with `message` and `retryAfter` (a Retry-After header,
 *               also for non-faithful answers). `headers` always win.
 *   reset       the connection is reset: a TCP RST (`close: 'rst'`, default; the client sees
 *               ECONNRESET) or a plain close (`close: 'fin'`; "socket hang up"/"other side closed").
 *               `drop: true` is the old name for { kind: 'reset', close: 'fin' }.
 *   hang        the request is accepted and never answered, until the client gives up, the test
 *               calls releaseHung()/clearFaults()/reset(), or the server closes.
 *   slow-body   the real answer's headers at once, then its body `chunkBytes` (default 16) every
 *               `intervalMs` (default 100) with a correct Content-Length; the first chunk after
 *               `firstChunkMs` (default `intervalMs`). A client that hangs up ends the writing.
 *   truncate    the real answer with a Content-Length of the whole body (or `declaredBytes`), but only
 *               `sendBytes` of it (default half), then the socket closes.
 *   malformed   a 2xx answer with a broken body: the real answer cut in half when it is a 2xx with a
 *               body, else the kind's own broken multistatus/envelope (faults.ts malformedResponse),
 *               with a Content-Length that matches what is sent (the transfer itself is clean).
 *   login-page  200 text/html: the server's login page, or an SSO gateway's (`page: 'sso'`).
 *
 * `after` decides whether the server acts on the request first. false: nothing changes on the
 * server (the request never reached it). true: the request is applied to the tree as usual and its
 * answer is captured, then the fault is delivered instead of (status, reset, hang, login-page) or
 * out of (slow-body, truncate, malformed) that answer — so `{kind: 'reset', after: true}` is the
 * key case of a client that sees a network error although the server did the work. Defaults:
 * true for slow-body, truncate and malformed (they need the real answer), false for the others.
 * `body` (with `status`, default 200) replaces the real answer for slow-body and truncate; with
 * `after: false` and no `body` there is no real answer, and they work on the kind's broken
 * multistatus/envelope instead.
 *
 * `fault()` answers a handle: `hits` (times it fired), `passed` (matching requests let through
 * before the nth), `pending` and `cancel()`. The old call `fault({method, path, status, body,
 * headers, times})` works as before.
 */

export type FaultKind = 'status' | 'reset' | 'hang' | 'slow-body' | 'truncate' | 'malformed' | 'login-page';

export interface Fault {
  /** What happens; 'status' when absent ('reset' with the legacy `drop`). */
  kind?: FaultKind | undefined;
  /** Matches any method when absent. Case-insensitive. */
  method?: string | undefined;
  /** Substring of the raw (still percent-encoded) path and query, or a RegExp over it; any path when absent. */
  path?: string | RegExp | undefined;
  /** Fire on the nth matching request (1-based, default 1); earlier matching requests go through. */
  nth?: number | undefined;
  /** How many matching requests fire, from the nth on (default 1). Infinity for all. */
  times?: number | undefined;
  /** Apply the request on the server before delivering the fault (see above for the defaults). */
  after?: boolean | undefined;
  /** 'status': the status (default 500). slow-body/truncate/malformed with `body`: its status. */
  status?: number | undefined;
  body?: string | undefined;
  headers?: Record<string, string> | undefined;
  /** 'status': the server kind's real error body and headers for `status`. */
  faithful?: boolean | undefined;
  /** 'status': the message in the faithful body. */
  message?: string | undefined;
  /** 'status': adds Retry-After (seconds or an HTTP date). */
  retryAfter?: number | string | undefined;
  /** 'reset': RST (default) or a plain close. */
  close?: 'rst' | 'fin' | undefined;
  /** 'slow-body': bytes per write (default 16) and the pause between writes (default 100 ms). */
  chunkBytes?: number | undefined;
  intervalMs?: number | undefined;
  /** 'slow-body': the pause before the first write (default intervalMs). */
  firstChunkMs?: number | undefined;
  /** 'truncate': bytes of the body sent before the socket closes (default half the body). */
  sendBytes?: number | undefined;
  /** 'truncate': the Content-Length announced (default the whole body, at least one more than sent). */
  declaredBytes?: number | undefined;
  /** 'login-page': the server's own page (default) or an SSO gateway's. */
  page?: 'server' | 'sso' | undefined;
  /** Legacy: destroy the socket instead of answering. Same as { kind: 'reset', close: 'fin' }. */
  drop?: boolean | undefined;
}

export interface FaultHandle {
  readonly id: number;
  /** Times the fault fired. */
  readonly hits: number;
  /** Matching requests let through before the nth. */
  readonly passed: number;
  /** Still armed (not used up, not cancelled, not cleared). */
  readonly pending: boolean;
  cancel(): void;
}

/**
 * How a test server's answers travel, as deployments deliver them. By default (all off) a test
 * server is polite: keep-alive, a Content-Length on every body, the whole answer in one write at
 * once. Each field makes it behave like a real deployment instead:
 *
 *   connectionClose  every answer says `Connection: close` and the server closes the connection
 *                    after it, as PHP's built-in server (the real-server kits), Apache with
 *                    KeepAlive off and many proxies do.
 *   firstByteMs      the server acts on the request, then waits this long before the first byte
 *                    of its answer (a busy PHP worker, a proxy buffering the answer).
 *   framing          how a body's end is told: 'length' (Content-Length), 'chunked'
 *                    (Transfer-Encoding: chunked, nginx/Apache in front of PHP-FPM), 'close' (no
 *                    length at all: the body ends when the connection closes, which is what PHP's
 *                    built-in server sends for every body but an empty one), or 'rotate' (the
 *                    three in turn, one per answer). Empty 201/204 answers keep `Content-Length: 0`
 *                    as PHP sends them; 'close' implies connectionClose.
 *   writeBytes       the body goes to the socket this many bytes at a time, each write waiting until
 *                    the one before has left (a small send buffer; Node cannot set SO_SNDBUF): the
 *                    client reads it in many small pieces.
 *
 * Select it per server: the `transport` start option, POST /__control/transport, or for every test
 * server of a process the environment variable SALVAGE_TEST_TRANSPORT (a preset name or the JSON
 * of a Transport). Presets: 'polite' (the default), 'php' (the real-server kits: Connection: close,
 * bodies delimited by the close) and 'deployment' (all of it: close, 10 ms to the first byte,
 * framing rotating between length, chunked and close, 1 KiB writes). Faults keep their own
 * framing (slow-body, truncate) but their answers otherwise travel the same way.
 */
export interface Transport {
  connectionClose?: boolean | undefined;
  firstByteMs?: number | undefined;
  framing?: Framing | undefined;
  writeBytes?: number | undefined;
  writeIntervalMs?: number | undefined;
}

export type Framing = 'length' | 'chunked' | 'close' | 'rotate';

export const TRANSPORT_PRESETS = {
  polite: {},
  php: { connectionClose: true, framing: 'close' },
  deployment: { connectionClose: true, firstByteMs: 10, framing: 'rotate', writeBytes: 1024 },
} as const satisfies Record<string, Transport>;

export type TransportPreset = keyof typeof TRANSPORT_PRESETS;

/** A preset, or fields, or a preset with some fields changed. */
export type TransportSetting = TransportPreset | (Transport & { preset?: TransportPreset | undefined });

/** A Transport from a preset name or its JSON (SALVAGE_TEST_TRANSPORT, POST /__control/transport). */
export function parseTransport(value: unknown): Transport {
  if (value === undefined || value === null || value === '') return {};
  if (typeof value === 'string') {
    const name = value.trim();
    if (name in TRANSPORT_PRESETS) return { ...TRANSPORT_PRESETS[name as TransportPreset] };
    if (name.startsWith('{')) return parseTransport(JSON.parse(name) as unknown);
    throw new Error(
      `unknown transport "${name}" (one of ${Object.keys(TRANSPORT_PRESETS).join(', ')}, or the JSON of a Transport)`,
    );
  }
  if (typeof value !== 'object') throw new Error('a transport is a preset name or an object');
  const o = value as Record<string, unknown>;
  const base: Transport = typeof o.preset === 'string' ? parseTransport(o.preset) : {};
  const num = (k: string) => (o[k] === undefined ? undefined : Math.max(0, Number(o[k])));
  const framing = o.framing;
  if (framing !== undefined && !['length', 'chunked', 'close', 'rotate'].includes(String(framing)))
    throw new Error(`unknown framing "${String(framing)}"`);
  return {
    ...base,
    ...(o.connectionClose !== undefined ? { connectionClose: o.connectionClose === true } : {}),
    ...(o.firstByteMs !== undefined ? { firstByteMs: num('firstByteMs') } : {}),
    ...(framing !== undefined ? { framing: framing as Framing } : {}),
    ...(o.writeBytes !== undefined ? { writeBytes: num('writeBytes') } : {}),
    ...(o.writeIntervalMs !== undefined ? { writeIntervalMs: num('writeIntervalMs') } : {}),
  };
}

/** The transport every test server of this process starts with: SALVAGE_TEST_TRANSPORT, else polite. */
export function transportFromEnv(value = process.env.SALVAGE_TEST_TRANSPORT): Transport {
  return parseTransport(value);
}

const isPolite = (t: Transport) =>
  !t.connectionClose && !t.firstByteMs && (t.framing ?? 'length') === 'length' && !t.writeBytes;

export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A fault as armed: its counters. */
export interface ArmedFault {
  id: number;
  fault: Fault;
  kind: FaultKind;
  nth: number;
  left: number;
  matched: number;
  hits: number;
}

/** A request held by a 'hang' fault. */
export interface HungRequest {
  socket: Socket;
  /** Lets the request go on and be answered (answer: true) or destroys its socket. */
  end(answer: boolean): void;
}

/**
 * One step of a seeded past: create a file or folder (parents made as needed), or trash what is at
 * `path` at time `at` (ms since the epoch, or ISO 8601). Paths are below the user's files root
 * (DocSpace: My documents). The deletion time is kept where the real server keeps it: the trash
 * entry's timestamp, which Nextcloud shows as the `.d<timestamp>` suffix and nc:trashbin-deletion-time,
 * ownCloud 10 and oCIS as oc:trashbin-delete-timestamp (+ oc:trashbin-delete-datetime); DocSpace
 * stamps the item's ModifiedOn (`updated`) when it moves it to the trash.
 */
export type PastStep =
  | { op: 'create'; path: string; kind?: 'file' | 'folder'; size?: number; at?: number | string }
  | { op: 'trash'; path: string; at: number | string };

/** How a front end builds and trashes for history(); the default works on the shared tree (WebDAV servers). */
export interface HistoryOps {
  create(user: string, path: string, kind: 'file' | 'folder', size: number, at: number): void;
  trash(user: string, path: string, at: number): void;
}

const timeOfStep = (at: number | string | undefined, fallback: number): number => {
  if (at === undefined) return fallback;
  const t = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(t)) throw new Error(`Not a time: ${String(at)}`);
  return t;
};

export class Control {
  latencyMs = 0;
  /** How answers travel (see Transport); reset() keeps it, as it is the server's, not the test state's. */
  transport: Transport = {};
  private framingTurn = 0;
  private faults: ArmedFault[] = [];
  private nextFaultId = 1;
  private readonly hung = new Set<HungRequest>();
  readonly seen: SeenRequest[] = [];
  /** Every request since the last reset, counted by method (the last 500 alone are in `seen`). */
  readonly counts: Record<string, number> = {};
  /** Requests the server is still working on (a hung one counts no more once it is held); see settled(). */
  inFlight = 0;

  constructor(
    readonly tree: FileTree,
    /** Puts the tree back into the front end's initial state. */
    private readonly initialise: (tree: FileTree) => void,
    /** Which server this is: the faithful error bodies and login pages depend on it. */
    readonly kind: ServerKind = 'nextcloud',
  ) {}

  reset(): void {
    this.tree.reset();
    this.latencyMs = 0;
    this.clearFaults();
    this.seen.length = 0;
    for (const method of Object.keys(this.counts)) delete this.counts[method];
    this.initialise(this.tree);
  }

  /** Adds `count` files to a user's trash (fast: 100k in well under a second). */
  seed(user: string, count: number, options: { folder?: string; prefix?: string; endAt?: number } = {}): number {
    this.tree.seedTrash(user, count, options);
    return count;
  }

  /** Front ends with more to keep than the tree (DocSpace) set their own. */
  historyOps: HistoryOps = {
    create: (user, path, kind, size, at) => {
      if (kind === 'folder') {
        const node = this.tree.mkdirs(user, path);
        node.mtime = at;
      } else {
        this.tree.writeFile(user, path, size, { mtime: at, parents: true });
      }
    },
    trash: (user, path, at) => {
      const node = this.tree.resolve(user, path);
      if (!node || node.parent === null) throw new Error(`Nothing to trash at ${path}`);
      this.tree.trash(node.id, { at });
    },
  };

  /** Builds files and folders and trashes them at past times (see PastStep). */
  history(user: string, steps: readonly PastStep[]): { created: number; trashed: number } {
    let created = 0;
    let trashed = 0;
    for (const step of steps) {
      if (step.op === 'create') {
        this.historyOps.create(
          user,
          step.path,
          step.kind ?? 'file',
          step.size ?? 1000,
          timeOfStep(step.at, this.tree.now()),
        );
        created++;
      } else {
        this.historyOps.trash(user, step.path, timeOfStep(step.at, this.tree.now()));
        trashed++;
      }
    }
    return { created, trashed };
  }

  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  /** Sets how answers travel from now on (a preset name or fields; see Transport). */
  setTransport(transport: TransportSetting): void {
    this.transport = parseTransport(transport);
  }

  /** The framing of the next answer (turns through length, chunked and close for 'rotate'). */
  nextFraming(): 'length' | 'chunked' | 'close' {
    const f = this.transport.framing ?? 'length';
    if (f !== 'rotate') return f;
    return (['length', 'chunked', 'close'] as const)[this.framingTurn++ % 3]!;
  }

  /** Arms a fault (see the top of this file). */
  fault(fault: Fault): FaultHandle {
    const kind: FaultKind = fault.kind ?? (fault.drop ? 'reset' : 'status');
    const armed: ArmedFault = {
      id: this.nextFaultId++,
      fault: fault.drop && !fault.kind ? { ...fault, close: fault.close ?? 'fin' } : fault,
      kind,
      nth: Math.max(1, Math.floor(fault.nth ?? 1)),
      left: fault.times ?? 1,
      matched: 0,
      hits: 0,
    };
    this.faults.push(armed);
    const faults = () => this.faults;
    return {
      id: armed.id,
      get hits() {
        return armed.hits;
      },
      get passed() {
        return Math.min(armed.matched, armed.nth - 1);
      },
      get pending() {
        return faults().includes(armed);
      },
      cancel: () => this.cancelFault(armed.id),
    };
  }

  /** The faults still armed, for GET /__control/faults. */
  pendingFaults(): {
    id: number;
    kind: FaultKind;
    method: string | null;
    path: string | null;
    nth: number;
    left: number;
    hits: number;
    passed: number;
  }[] {
    return this.faults.map((f) => ({
      id: f.id,
      kind: f.kind,
      method: f.fault.method ?? null,
      path: f.fault.path === undefined ? null : String(f.fault.path),
      nth: f.nth,
      left: f.left,
      hits: f.hits,
      passed: Math.min(f.matched, f.nth - 1),
    }));
  }

  cancelFault(id: number): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    return this.faults.length < before;
  }

  /** Disarms every fault and ends every hung request (its socket is destroyed). */
  clearFaults(): void {
    this.faults = [];
    this.releaseHung({ answer: false });
  }

  /**
   * Resolves once the server has finished working on every request it had received (a hung one is
   * held, not worked on): a client killed mid-batch leaves requests the server still acts on, and a
   * test reads the server's state only after them.
   */
  async settled(): Promise<void> {
    while (this.inFlight > 0) await new Promise((r) => setTimeout(r, 5));
  }

  /** Requests currently held by a 'hang' fault. */
  get hungCount(): number {
    return this.hung.size;
  }

  /**
   * Ends the hung requests: by default their sockets are destroyed (the client sees the connection
   * drop); with `answer: true` they go on as if nothing had happened and are answered.
   */
  releaseHung(options: { answer?: boolean } = {}): number {
    const all = [...this.hung];
    this.hung.clear();
    for (const h of all) h.end(options.answer ?? false);
    return all.length;
  }

  /** Takes the first fault matching a request, counting it down; the legacy Fault shape. */
  takeFault(method: string, path: string): Fault | null {
    return this.takeArmed(method, path)?.fault ?? null;
  }

  /** Takes the first fault that fires for a request (counting matches toward `nth`), or null. */
  takeArmed(method: string, path: string): ArmedFault | null {
    for (const f of [...this.faults]) {
      const { method: m, path: p } = f.fault;
      if (m && m.toUpperCase() !== method.toUpperCase()) continue;
      if (p !== undefined && !(typeof p === 'string' ? path.includes(p) : regExpTest(p, path))) continue;
      f.matched += 1;
      if (f.matched < f.nth) continue;
      f.hits += 1;
      f.left -= 1;
      if (f.left <= 0) this.faults = this.faults.filter((x) => x !== f);
      return f;
    }
    return null;
  }

  /** Registers a request held by a 'hang' fault; forgotten when its socket closes. */
  holdRequest(h: HungRequest): void {
    this.hung.add(h);
    h.socket.once('close', () => this.hung.delete(h));
  }
}

/** RegExp.test without the lastIndex trap of global/sticky expressions. */
function regExpTest(re: RegExp, s: string): boolean {
  re.lastIndex = 0;
  return re.test(s);
}

export type { Handler } from './http';

/** A front end's answer, captured instead of sent. */
interface Captured {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/**
 * Runs the front end with the response's writing methods diverted into memory, so the request is
 * applied on the server while nothing reaches the client; restores the methods afterwards.
 */
async function runCaptured(
  handler: Handler,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
): Promise<Captured> {
  const headers: Record<string, string | string[]> = {};
  const chunks: Buffer[] = [];
  let status = 200;
  const setHeaders = (h: OutgoingHttpHeaders | readonly string[] | undefined) => {
    if (!h || Array.isArray(h)) return;
    for (const [k, v] of Object.entries(h))
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.map(String) : String(v);
  };
  const add = (chunk: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  };
  let ended!: () => void;
  const done = new Promise<void>((resolve) => (ended = resolve));
  const r = res as unknown as Record<string, unknown>;
  const diverted = ['setHeader', 'writeHead', 'write', 'end', 'flushHeaders'];
  r.setHeader = (name: string, value: string | number | readonly string[]) => {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.map(String) : String(value);
    return res;
  };
  r.writeHead = (code: number, reason?: string | OutgoingHttpHeaders, h?: OutgoingHttpHeaders) => {
    status = code;
    setHeaders(typeof reason === 'string' ? h : reason);
    return res;
  };
  r.write = (chunk: unknown) => {
    add(chunk);
    return true;
  };
  r.end = (chunk?: unknown) => {
    add(chunk);
    ended();
    return res;
  };
  r.flushHeaders = () => undefined;
  try {
    await handler(req, res, body);
    await done;
  } finally {
    for (const name of diverted) delete r[name];
  }
  return { status, headers, body: Buffer.concat(chunks) };
}

/** Headers to send a body of `length` bytes with: the captured ones without their framing. */
function framed(headers: Record<string, string | string[]>, length: number): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers))
    if (k.toLowerCase() !== 'content-length' && k.toLowerCase() !== 'transfer-encoding') out[k] = v;
  out['Content-Length'] = String(length);
  return out;
}

function send(
  res: ServerResponse,
  r: { status: number; headers: Record<string, string | string[]>; body: Buffer | string },
  control?: Control,
): void | Promise<void> {
  const body = typeof r.body === 'string' ? Buffer.from(r.body) : r.body;
  if (control && !isPolite(control.transport))
    return sendThrough(control, res, { status: r.status, headers: r.headers, body });
  res.writeHead(r.status, framed(r.headers, body.length));
  res.end(body);
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sends a captured answer the way the control's Transport says (see there). */
async function sendThrough(control: Control, res: ServerResponse, r: Captured): Promise<void> {
  const t = control.transport;
  if (t.firstByteMs) await pause(t.firstByteMs);
  const socket = res.socket;
  if (res.destroyed || !socket || socket.destroyed) return;
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(r.headers))
    if (!['content-length', 'transfer-encoding', 'connection'].includes(k.toLowerCase())) headers[k] = v;
  const bodiless =
    r.status === 204 || r.status === 304 || (r.status >= 100 && r.status < 200) || res.req?.method === 'HEAD';
  const framing = control.nextFraming();
  if (t.connectionClose || framing === 'close') headers.Connection = 'close';
  if (bodiless || r.body.length === 0 || framing === 'length') {
    // A HEAD answer keeps the length its GET would have; 204/304 say nothing of a body.
    const declared = r.headers['content-length'];
    headers['Content-Length'] =
      res.req?.method === 'HEAD' && declared !== undefined ? String(declared) : String(bodiless ? 0 : r.body.length);
  } else if (framing === 'close') {
    // No length and no chunks: Node then ends the body by closing the connection (as PHP does).
    res.removeHeader('Content-Length');
    res.removeHeader('Transfer-Encoding');
  } else {
    headers['Transfer-Encoding'] = 'chunked';
  }
  res.writeHead(r.status, headers);
  if (bodiless || r.body.length === 0) return void res.end();
  const step = t.writeBytes && t.writeBytes > 0 ? Math.floor(t.writeBytes) : r.body.length;
  if (step < r.body.length) socket.setNoDelay(true);
  for (let at = 0; at < r.body.length; at += step) {
    if (res.destroyed || socket.destroyed) return;
    await new Promise<void>((resolve) => res.write(r.body.subarray(at, at + step), () => resolve()));
    if (t.writeIntervalMs && at + step < r.body.length) await pause(t.writeIntervalMs);
  }
  res.end();
}

const asCaptured = (r: FaultResponse): Captured => ({
  status: r.status,
  headers: r.headers,
  body: Buffer.from(r.body),
});

/** Delivers an armed fault for one request (the request body is already read). */
async function deliver(
  control: Control,
  armed: ArmedFault,
  handler: Handler,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
): Promise<void> {
  const f = armed.fault;
  const kind = armed.kind;
  const after = f.after ?? (kind === 'slow-body' || kind === 'truncate' || kind === 'malformed');
  const socket = req.socket;
  const method = req.method ?? 'GET';
  const rawPath = req.url ?? '/';
  const captured = after ? await runCaptured(handler, req, res, body) : null;
  /** The answer the fault works on: an explicit body, else the captured real answer. */
  const real = (): Captured | null =>
    f.body !== undefined ? { status: f.status ?? 200, headers: f.headers ?? {}, body: Buffer.from(f.body) } : captured;

  switch (kind) {
    case 'status': {
      let r: FaultResponse;
      if (f.faithful) {
        r = errorResponse(control.kind, f.status ?? 500, {
          retryAfter: f.retryAfter,
          message: f.message,
          method,
          path: rawPath,
          host: req.headers.host,
        });
        if (f.body !== undefined) r = { ...r, body: f.body };
      } else {
        r = {
          status: f.status ?? 500,
          headers: { 'Content-Type': 'application/xml; charset=utf-8' },
          body: f.body ?? '',
        };
        if (f.retryAfter !== undefined) r.headers['Retry-After'] = String(f.retryAfter);
      }
      return send(res, { status: r.status, headers: { ...r.headers, ...f.headers }, body: r.body }, control);
    }
    case 'login-page': {
      const page = loginPage(control.kind, { page: f.page });
      return send(
        res,
        { status: f.status ?? page.status, headers: { ...page.headers, ...f.headers }, body: page.body },
        control,
      );
    }
    case 'reset':
      if (f.close === 'fin') socket.destroy();
      else socket.resetAndDestroy();
      return;
    case 'hang':
      control.holdRequest({
        socket,
        end: (answer) => {
          if (!answer || socket.destroyed) return void socket.destroy();
          if (captured) void Promise.resolve(send(res, captured, control)).catch(() => socket.destroy());
          else void answer_(control, handler, req, res, body).catch(() => socket.destroy());
        },
      });
      return;
    case 'malformed': {
      const base = real();
      let r: Captured;
      if (f.body !== undefined) r = base!;
      else if (base && base.status >= 200 && base.status < 300 && base.body.length > 0)
        r = { ...base, body: breakBody(base.body) };
      else
        r = asCaptured(
          malformedResponse(control.kind, base && base.status >= 200 && base.status < 300 ? base.status : undefined),
        );
      return send(res, { ...r, headers: { ...r.headers, ...f.headers } }, control);
    }
    case 'slow-body': {
      const r = real() ?? asCaptured(malformedResponse(control.kind));
      res.writeHead(r.status, framed({ ...r.headers, ...f.headers }, r.body.length));
      res.flushHeaders();
      const step = Math.max(1, Math.floor(f.chunkBytes ?? 16));
      const interval = Math.max(0, f.intervalMs ?? 100);
      let at = 0;
      await new Promise<void>((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        const hungUp = () => {
          clearTimeout(timer);
          resolve();
        };
        socket.once('close', hungUp);
        const tick = () => {
          if (socket.destroyed) return hungUp();
          if (at >= r.body.length) {
            socket.off('close', hungUp);
            res.end();
            return resolve();
          }
          res.write(r.body.subarray(at, at + step));
          at += step;
          timer = setTimeout(tick, interval);
        };
        timer = setTimeout(tick, Math.max(0, f.firstChunkMs ?? interval));
      });
      return;
    }
    case 'truncate': {
      const r = real() ?? asCaptured(malformedResponse(control.kind));
      const sent = Math.max(0, Math.min(r.body.length, Math.floor(f.sendBytes ?? r.body.length / 2)));
      const declared = Math.max(f.declaredBytes ?? r.body.length, sent + 1);
      res.writeHead(r.status, framed({ ...r.headers, ...f.headers }, declared));
      res.flushHeaders();
      if (sent === 0) return void socket.end(() => socket.destroy());
      res.write(r.body.subarray(0, sent), () => socket.destroy());
      return;
    }
  }
}

/** Runs the front end for a request: straight to the client, or captured and sent through the transport. */
async function answer_(
  control: Control,
  handler: Handler,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
): Promise<void> {
  if (isPolite(control.transport)) return void (await handler(req, res, body));
  await sendThrough(control, res, await runCaptured(handler, req, res, body));
}

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
      control.counts[req.method ?? 'GET'] = (control.counts[req.method ?? 'GET'] ?? 0) + 1;
      control.inFlight += 1;
      try {
        if (control.latencyMs > 0) await new Promise((r) => setTimeout(r, control.latencyMs));
        const armed = control.takeArmed(req.method ?? 'GET', rawPath);
        if (armed) return await deliver(control, armed, handler, req, res, body);
        await answer_(control, handler, req, res, body);
      } finally {
        control.inFlight -= 1;
      }
    })().catch((e: unknown) => answerBug(req, res, e));
  };
}

/** A Fault from its JSON form (POST /__control/fault and /__control/faults). */
export function faultFromJson(b: Record<string, unknown>): Fault {
  const str = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : undefined);
  const num = (k: string) => (b[k] === undefined || b[k] === null ? undefined : Number(b[k]));
  const kinds: FaultKind[] = ['status', 'reset', 'hang', 'slow-body', 'truncate', 'malformed', 'login-page'];
  const kind = str('kind');
  if (kind !== undefined && !kinds.includes(kind as FaultKind))
    throw new Error(`unknown fault kind: ${kind} (one of ${kinds.join(', ')})`);
  const pattern = str('pathRegExp');
  const retryAfter = b.retryAfter;
  const close = str('close');
  const page = str('page');
  return {
    kind: kind as FaultKind | undefined,
    method: str('method'),
    path: pattern !== undefined ? new RegExp(pattern, str('pathFlags') ?? '') : str('path'),
    nth: num('nth'),
    times: b.times === undefined ? 1 : Number(b.times),
    after: typeof b.after === 'boolean' ? b.after : undefined,
    status: b.status === undefined && kind === undefined && !b.drop ? 500 : num('status'),
    body: str('body'),
    headers: (b.headers as Record<string, string> | undefined) ?? undefined,
    faithful: b.faithful === true,
    message: str('message'),
    retryAfter: typeof retryAfter === 'number' || typeof retryAfter === 'string' ? retryAfter : undefined,
    close: close === 'rst' || close === 'fin' ? close : undefined,
    chunkBytes: num('chunkBytes'),
    intervalMs: num('intervalMs'),
    firstChunkMs: num('firstChunkMs'),
    sendBytes: num('sendBytes'),
    declaredBytes: num('declaredBytes'),
    page: page === 'server' || page === 'sso' ? page : undefined,
    drop: Boolean(b.drop),
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
    const faultId = /^\/__control\/faults\/(\d+)$/.exec(url.pathname)?.[1];
    if (req.method === 'DELETE' && faultId) return send(control.cancelFault(Number(faultId)) ? 204 : 404);
    switch (`${req.method} ${url.pathname}`) {
      case 'POST /__control/reset':
        control.reset();
        return send(204);
      case 'POST /__control/seed': {
        const b = json();
        const count = control.seed(String(b.user), Number(b.count), {
          ...(typeof b.folder === 'string' ? { folder: b.folder } : {}),
          ...(typeof b.prefix === 'string' ? { prefix: b.prefix } : {}),
          ...(b.endAt !== undefined ? { endAt: timeOfStep(b.endAt as number | string, Date.now()) } : {}),
        });
        return send(200, { count });
      }
      case 'POST /__control/latency':
        control.setLatency(Number(json().ms ?? 0));
        return send(204);
      case 'POST /__control/fault':
        control.fault(faultFromJson(json()));
        return send(204);
      case 'POST /__control/faults':
        return send(201, { id: control.fault(faultFromJson(json())).id });
      case 'GET /__control/faults':
        return send(200, control.pendingFaults());
      case 'POST /__control/faults/clear':
        control.clearFaults();
        return send(204);
      case 'GET /__control/hung':
        return send(200, { count: control.hungCount });
      case 'POST /__control/hung/release':
        return send(200, { released: control.releaseHung({ answer: json().answer === true }) });
      case 'POST /__control/history': {
        const b = json();
        if (typeof b.user !== 'string' || !Array.isArray(b.steps))
          return send(400, { error: 'history needs {user, steps}' });
        return send(200, control.history(b.user, b.steps as PastStep[]));
      }
      case 'GET /__control/state':
        return send(200, control.tree.snapshot(url.searchParams.get('user') ?? ''));
      case 'GET /__control/requests':
        return send(200, control.seen);
      case 'GET /__control/counts':
        return send(200, control.counts);
      case 'POST /__control/transport':
        control.setTransport(parseTransport(json()));
        return send(204);
      case 'GET /__control/transport':
        return send(200, control.transport);
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

/**
 * Listens on 127.0.0.1 (port 0 = any free port) and answers through the control wrapper, with the
 * given transport (default: SALVAGE_TEST_TRANSPORT, else polite).
 */
export async function listen(
  control: Control,
  handler: Handler,
  port = 0,
  transport: TransportSetting = transportFromEnv(),
): Promise<RunningServer> {
  control.setTransport(transport);
  const { server, url } = await listenOn(withControl(control, handler), port);
  return {
    url,
    control,
    close: () => {
      // Hung requests are open connections too: closeServer destroys them with the rest.
      control.releaseHung({ answer: false });
      return closeServer(server);
    },
  };
}
