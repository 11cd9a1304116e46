import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { channels, type Channel } from '../../shared/contract';
import type { TrashItem } from '../../shared/model';
import type { ProviderFactoryInput, TrashProvider } from '../providers/types';
import { createDispatcher, type CallerInfo, type Dispatch, type Handlers } from './dispatcher';
import { createServices } from './index';
import { MemoryAccountStore, MemorySecretStore } from './stores';

/**
 * IPC fuzzing: for every channel of the contract, thousands of malformed payloads (wrong types,
 * missing and extra fields, strings and arrays past their bounds, huge strings, deep nesting,
 * prototype-pollution keys, non-objects, NaN/Infinity, BigInt, Date/Map/typed arrays as structured
 * clone delivers them) go through the real dispatcher over the real services (createServices, memory
 * stores, an instrumented fake provider). Each must come back INVALID_INPUT without a single
 * service or provider method being called, and the dispatcher must keep working afterwards.
 *
 * Payloads are built by mutating a valid example of each request schema and are judged by an
 * oracle of their own (`mustReject`, read from the schema definitions: types, required keys,
 * strict objects, length bounds, enum values), never by the schema's own parse; payloads the
 * oracle cannot call invalid are not sent. A seeded generator makes a run reproducible:
 * SALVAGE_FUZZ_SEED=<seed> replays the seed a failing run printed. The number of payloads sent is
 * written to test-results/ipc-fuzz.json ({"ipc_payloads_fuzzed": N}) for the fault-matrix report.
 */

const SEED = Number(process.env.SALVAGE_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** Malformed payloads per channel (23 channels: about 9,000 in all). */
const PER_CHANNEL = Number(process.env.SALVAGE_FUZZ_PER_CHANNEL ?? 400);

// ——— a small seeded generator (mulberry32) ———

class Rng {
  constructor(private state: number) {}
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }
}

// ——— reading zod 4 schema definitions ———

type Schema = { _zod: { def: Def } } & { minLength?: number | null; maxLength?: number | null };
interface Def {
  type: string;
  shape?: Record<string, Schema>;
  catchall?: Schema;
  innerType?: Schema;
  element?: Schema;
  keyType?: Schema;
  valueType?: Schema;
  options?: Schema[];
  entries?: Record<string, string>;
  values?: unknown[];
  checks?: { _zod: { def: { check: string; minimum?: number; maximum?: number } } }[];
}
const def = (s: Schema): Def => s._zod.def;
const isStrict = (s: Schema) =>
  def(s).type === 'object' && def(s).catchall !== undefined && def(def(s).catchall!).type === 'never';
const arrayBounds = (s: Schema) => {
  let min = 0;
  let max = Infinity;
  for (const c of def(s).checks ?? []) {
    if (c._zod.def.check === 'min_length') min = c._zod.def.minimum ?? 0;
    if (c._zod.def.check === 'max_length') max = c._zod.def.maximum ?? Infinity;
  }
  return { min, max };
};
const isObjectLike = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The oracle: true when the value certainly breaks the schema as written (type, required key, a
 * strict object's extra key, a length bound, an enum value). False means valid *or* not sure; only
 * payloads it calls invalid are sent.
 */
function mustReject(s: Schema, v: unknown): boolean {
  const d = def(s);
  switch (d.type) {
    case 'optional':
      return v !== undefined && mustReject(d.innerType!, v);
    case 'nullable':
      return v !== null && mustReject(d.innerType!, v);
    case 'string': {
      if (typeof v !== 'string') return true;
      if (s.minLength != null && v.length < s.minLength) return true;
      return s.maxLength != null && v.length > s.maxLength;
    }
    case 'boolean':
      return typeof v !== 'boolean';
    case 'number':
      return typeof v !== 'number' || !Number.isFinite(v);
    case 'enum':
      return !Object.values(d.entries!).includes(v as string);
    case 'literal':
      return !d.values!.includes(v);
    case 'array': {
      if (!Array.isArray(v)) return true;
      const { min, max } = arrayBounds(s);
      if (v.length < min || v.length > max) return true;
      return v.some((e) => mustReject(d.element!, e));
    }
    case 'object': {
      if (!isObjectLike(v)) return true;
      for (const [k, fs] of Object.entries(d.shape!)) if (mustReject(fs, v[k])) return true;
      return isStrict(s) && Object.keys(v).some((k) => !Object.prototype.hasOwnProperty.call(d.shape!, k));
    }
    case 'record':
      if (!isObjectLike(v)) return true;
      // A "__proto__" entry is not judged: how a record treats it is the parser's business.
      return Object.keys(v).some((k) => k !== '__proto__' && mustReject(d.valueType!, v[k]));
    case 'union':
      return d.options!.every((o) => mustReject(o, v));
    default:
      return false;
  }
}

// ——— valid examples and the places a mutation can hit ———

interface Ctx {
  rng: Rng;
  accountId: string;
}

function example(s: Schema, ctx: Ctx, key = ''): unknown {
  const d = def(s);
  switch (d.type) {
    case 'optional':
      return example(d.innerType!, ctx, key);
    case 'nullable':
      return ctx.rng.bool(0.3) ? null : example(d.innerType!, ctx, key);
    case 'string': {
      if (key === 'accountId') return ctx.accountId;
      if (key === 'serverUrl') return 'https://cloud.example.com';
      // z.iso.datetime(): an instant as the window sends it (toISOString).
      if ((s as { format?: string }).format === 'datetime')
        return new Date(1_700_000_000_000 + ctx.rng.int(1_000_000_000)).toISOString();
      const min = Math.max(1, s.minLength ?? 0);
      const max = Math.min(s.maxLength ?? 12, 12);
      return 'abcdefghijklmnop'.slice(0, Math.max(min, Math.min(max, 1 + ctx.rng.int(8))));
    }
    case 'boolean':
      return ctx.rng.bool();
    case 'number':
      return 1;
    case 'enum':
      return ctx.rng.pick(Object.values(d.entries!));
    case 'literal':
      return d.values![0];
    case 'array': {
      const { min, max } = arrayBounds(s);
      const n = Math.min(max, Math.max(min, 1 + ctx.rng.int(3)));
      return Array.from({ length: n }, () => example(d.element!, ctx));
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, fs] of Object.entries(d.shape!)) {
        if (def(fs).type === 'optional' && ctx.rng.bool(0.5)) continue;
        out[k] = example(fs, ctx, k);
      }
      return out;
    }
    case 'record':
      return ctx.rng.bool() ? {} : { [`${ctx.accountId}:7`]: example(d.valueType!, ctx) };
    case 'union':
      return example(ctx.rng.pick(d.options!), ctx, key);
    default:
      throw new Error(`the fuzz test does not know zod type "${d.type}": teach example() and mustReject() about it`);
  }
}

/** A place in a payload: the container holding it (null for the root), its key, and its schema. */
interface Spot {
  parent: Record<string, unknown> | unknown[] | null;
  key: string | number;
  schema: Schema;
  value: unknown;
  /** The object schema holding this field (for deleting required keys). */
  inObject: boolean;
}

function spots(s: Schema, v: unknown, parent: Spot['parent'], key: Spot['key'], inObject: boolean, out: Spot[]): void {
  out.push({ parent, key, schema: s, value: v, inObject });
  if (v !== undefined && v !== null) walkInner(unwrap(s), v, out);
}

/** The schema inside optional/nullable wrappers. */
function unwrap(s: Schema): Schema {
  let inner = s;
  while (def(inner).type === 'optional' || def(inner).type === 'nullable') inner = def(inner).innerType!;
  return inner;
}

function walkInner(s: Schema, v: unknown, out: Spot[]): void {
  const d = def(s);
  if (d.type === 'object' && isObjectLike(v)) {
    for (const [k, fs] of Object.entries(d.shape!)) if (k in v) spots(fs, v[k], v, k, true, out);
  } else if (d.type === 'array' && Array.isArray(v)) {
    v.slice(0, 3).forEach((e, i) => spots(d.element!, e, v, i, false, out));
  } else if (d.type === 'record' && isObjectLike(v)) {
    for (const k of Object.keys(v)) spots(d.valueType!, v[k], v, k, false, out);
  } else if (d.type === 'union') {
    const option = d.options!.find((o) => !mustReject(o, v));
    if (option) walkInner(option, v, out);
  }
}

// ——— hostile values ———

const HUGE = 'x'.repeat(8_000_000);
const LONG = 'é'.repeat(70_000);

function deepArray(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

function deepObject(depth: number): unknown {
  let v: unknown = { end: true };
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/** Defines an own, enumerable property, even "__proto__" (what JSON.parse and structured clone give). */
function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

function pollutionObject(rng: Rng): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  setOwn(
    o,
    rng.pick(['__proto__', 'constructor', 'prototype']),
    rng.bool() ? { polluted: true } : { prototype: { polluted: true } },
  );
  return o;
}

/** A value of any shape: what a malformed or malicious renderer could send through IPC. */
function hostile(rng: Rng): unknown {
  switch (rng.int(12)) {
    case 0:
      return rng.pick([0, -1, 1.5, NaN, Infinity, -Infinity, -0, Number.MAX_SAFE_INTEGER + 2, 1e308, 5e-324]);
    case 1:
      return rng.pick([10n, -(2n ** 70n)]);
    case 2:
      return rng.pick([true, false, null, undefined]);
    case 3:
      return rng.pick([
        '',
        ' ',
        'null',
        'undefined',
        'true',
        '0',
        '[object Object]',
        '__proto__',
        'constructor',
        '\u0000',
        '\ud800',
        '‮gpj.exe',
        '../../../etc/passwd',
        'file:///etc/passwd',
        '<script>alert(1)</script>',
        '🗑️'.repeat(3),
      ]);
    case 4:
      return rng.pick([HUGE, LONG, 'y'.repeat(2049), 'z'.repeat(8193), 'w'.repeat(256)]);
    case 5:
      return rng.pick([
        [],
        [1, 2, 3],
        ['a'],
        [null],
        [{}],
        new Array(100_000).fill('x'),
        Array.from({ length: 1000 }, (_, i) => ({ i })),
      ]);
    case 6:
      return deepArray(rng.pick([100, 1_000, 2_000]));
    case 7:
      return deepObject(rng.pick([100, 1_000, 2_000]));
    case 8:
      return pollutionObject(rng);
    case 9:
      return rng.pick([{}, { a: 1 }, Object.create(null) as object, { toString: 'x', valueOf: 1 }]);
    case 10:
      return rng.pick([
        new Date(0),
        new Date(NaN),
        new Map([['accountId', 'a']]),
        new Set([1]),
        /x/g,
        new Uint8Array(16),
        new ArrayBuffer(8),
        new Error('boom'),
      ]);
    default:
      return rng.pick([{ kind: 'original' }, { accountId: '', id: '' }, { items: [] }, { operationId: 1 }]);
  }
}

const EXTRA_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  'then',
  'isAdmin',
  'secret',
  'password',
  '',
  ' ',
  'accountId ',
  'k'.repeat(10_000),
];

/** One malformed variant of a valid payload: the root replaced, or one spot changed. */
function mutate(request: Schema, valid: unknown, rng: Rng): unknown {
  if (rng.bool(0.1)) return hostile(rng); // the whole payload is something else
  const payload = structuredCloneLike(valid);
  const rounds = 1 + (rng.bool(0.25) ? rng.int(3) : 0);
  let root: unknown = payload;
  for (let r = 0; r < rounds; r++) {
    const all: Spot[] = [];
    spots(request, root, null, '', false, all);
    const spot = rng.pick(all);
    const d = def(spot.schema);
    const innerSchema = unwrap(spot.schema);
    const inner = def(innerSchema);
    const set = (value: unknown) => {
      if (spot.parent === null) root = value;
      else if (Array.isArray(spot.parent)) spot.parent[spot.key as number] = value;
      else setOwn(spot.parent, spot.key as string, value);
    };
    const choice = rng.int(6);
    if (choice === 0 && spot.inObject && d.type !== 'optional' && spot.parent && !Array.isArray(spot.parent)) {
      delete spot.parent[spot.key as string]; // a required field missing
    } else if (choice === 1 && inner.type === 'object' && isObjectLike(spot.value)) {
      setOwn(spot.value, rng.pick(EXTRA_KEYS), hostile(rng)); // an extra (or prototype-polluting) key
    } else if (choice === 2 && inner.type === 'string') {
      const s = innerSchema;
      if (s.maxLength != null && rng.bool(0.7)) set(rng.bool(0.3) ? HUGE : 'm'.repeat(s.maxLength + 1 + rng.int(3)));
      else set(rng.bool() ? '' : HUGE);
    } else if (choice === 3 && inner.type === 'array') {
      const { max } = arrayBounds(innerSchema);
      if (Number.isFinite(max) && rng.bool(0.04))
        set(Array.from({ length: max + 1 }, (_, i) => ({ accountId: 'a', id: String(i) })));
      else set(rng.bool() ? [] : [hostile(rng)]);
    } else if (choice === 4 && (inner.type === 'enum' || inner.type === 'literal')) {
      const v = typeof spot.value === 'string' ? spot.value : 'original';
      set(rng.pick([v.toUpperCase(), ` ${v}`, `${v}\u0000`, v.slice(1), `${v}s`, 'KEEP-BOTH', 'overwrite', 'folder ']));
    } else {
      set(hostile(rng)); // any value at all, usually of the wrong type
    }
  }
  return root;
}

/** A deep copy of a valid example (plain data only). */
function structuredCloneLike<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** A short description of a payload for a failure message (never the whole thing). */
function describePayload(v: unknown, depth = 0): string {
  if (depth > 3) return '…';
  if (typeof v === 'string') return v.length > 40 ? `"${v.slice(0, 20)}…" (${v.length} chars)` : JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v !== 'object' || v === null) return String(v);
  if (Array.isArray(v))
    return `[${v
      .slice(0, 3)
      .map((e) => describePayload(e, depth + 1))
      .join(', ')}${v.length > 3 ? `, … (${v.length})` : ''}]`;
  const proto = Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null;
  const name = proto === null ? 'null-proto ' : proto === Object.prototype ? '' : `${proto.constructor?.name ?? '?'} `;
  const keys = Object.keys(v);
  return `${name}{${keys
    .slice(0, 6)
    .map(
      (k) =>
        `${k.length > 20 ? `${k.slice(0, 10)}…(${k.length})` : k}: ${describePayload((v as Record<string, unknown>)[k], depth + 1)}`,
    )
    .join(', ')}${keys.length > 6 ? ', …' : ''}}`;
}

// ——— the services under test, every method counted ———

interface Counter {
  calls: number;
  log: string[];
}

/** Replaces every method of an object (own and inherited, up to Object.prototype) with a counting one. */
function instrument<T extends object>(name: string, target: T, counter: Counter): T {
  const seen = new Set<string>();
  for (
    let proto: object | null = target;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor' || seen.has(key)) continue;
      const desc = Object.getOwnPropertyDescriptor(proto, key);
      if (!desc || typeof desc.value !== 'function') continue;
      seen.add(key);
      const original = desc.value as (...args: unknown[]) => unknown;
      Object.defineProperty(target, key, {
        configurable: true,
        writable: true,
        value: function (this: unknown, ...args: unknown[]) {
          counter.calls++;
          if (counter.log.length < 50) counter.log.push(`${name}.${key}`);
          return original.apply(this, args);
        },
      });
    }
  }
  return target;
}

function fakeProvider(counter: Counter) {
  const item = (accountId: string, i: number): TrashItem => ({
    key: `${accountId}:${i}`,
    accountId,
    id: String(i),
    name: `file-${i}.txt`,
    kind: 'file',
    size: 10,
    deletedAt: '2026-11-01T10:00:00.000Z',
    originalFolder: '/Documents',
    originalFolderId: '/Documents',
    expiresAt: null,
    mimeType: 'text/plain',
    ext: 'txt',
    deletedBy: null,
    parentId: null,
  });
  return (input: ProviderFactoryInput): TrashProvider => {
    counter.calls++;
    counter.log.push('makeProvider');
    const { account } = input;
    const provider: TrashProvider = {
      kind: account.kind,
      parentOf: () => null,
      async checkConnection() {
        return { userName: 'Alice', userId: 'alice' };
      },
      async *listTrash() {
        yield { items: [item(account.id, 1), item(account.id, 2)] };
      },
      async listFolders() {
        return {
          folder: { accountId: account.id, id: '/', name: 'Files', path: '/', canWrite: true, hasChildren: false },
          children: [],
          breadcrumbs: [],
        };
      },
      async createFolder(parentId, name) {
        return {
          accountId: account.id,
          id: `${parentId}/${name}`,
          name,
          path: `${parentId}/${name}`,
          canWrite: true,
          hasChildren: false,
        };
      },
      async findConflicts() {
        return { conflicts: [], missingFolders: [] };
      },
      async restore() {},
      async remove() {},
      async empty() {},
      async undoRestore() {},
    };
    return instrument(`provider(${account.id})`, provider, counter);
  };
}

const caller: CallerInfo = { frameUrl: 'app://salvage/index.html', isMainFrame: true };

async function setup() {
  const counter: Counter = { calls: 0, log: [] };
  let demoStarts = 0;
  const services = createServices({
    host: 'browser',
    version: '0.0.0-fuzz',
    platform: 'linux',
    accounts: new MemoryAccountStore(),
    secrets: new MemorySecretStore(),
    journal: null,
    demo: {
      start: () => {
        demoStarts++;
        throw new Error('the demo must not start during fuzzing');
      },
    },
    makeProvider: fakeProvider(counter),
  });
  const handlers = Object.fromEntries(
    Object.entries(services.handlers).map(([channel, handler]) => [
      channel,
      (request: unknown) => {
        counter.calls++;
        counter.log.push(`handler ${channel}`);
        return (handler as (r: unknown) => Promise<unknown>)(request);
      },
    ]),
  ) as unknown as Handlers;
  for (const name of ['accounts', 'trash', 'ops', 'runner'] as const) instrument(name, services[name], counter);
  const internalErrors: unknown[] = [];
  const dispatch: Dispatch = createDispatcher({
    handlers,
    isTrustedCaller: () => true,
    onInternalError: (_c, e) => internalErrors.push(e),
  });
  // One real account, so a payload that slipped through would reach the services and the provider.
  const added = await dispatch(
    'accounts:add',
    { serverUrl: 'https://cloud.example.com', kind: 'nextcloud', user: 'alice', secret: 'right' },
    caller,
  );
  if (!added.ok) throw new Error(`setup: ${added.error.message}`);
  return {
    dispatch,
    counter,
    accountId: (added.value as { id: string }).id,
    internalErrors,
    demoStarts: () => demoStarts,
  };
}

// ——— the test ———

let fuzzed = 0;
const perChannel: Record<string, number> = {};

afterAll(() => {
  mkdirSync(new URL('../../test-results/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL('../../test-results/ipc-fuzz.json', import.meta.url),
    `${JSON.stringify({ ipc_payloads_fuzzed: fuzzed })}\n`,
  );
  console.log(
    `IPC fuzz: ${fuzzed} payloads (seed ${SEED}; replay with SALVAGE_FUZZ_SEED=${SEED}); per channel: ${JSON.stringify(perChannel)}`,
  );
});

describe(`IPC dispatcher fuzzing (seed ${SEED})`, () => {
  it('builds a valid example of every request schema, and the instrumentation sees a real call', async () => {
    const { dispatch, counter, accountId } = await setup();
    expect(counter.calls).toBeGreaterThan(0); // accounts:add went through handler, service and provider
    const rng = new Rng(SEED);
    for (const channel of Object.keys(channels) as Channel[]) {
      const request = channels[channel].request as unknown as Schema;
      for (let i = 0; i < 20; i++) {
        const valid = example(request, { rng, accountId });
        expect(
          mustReject(request, valid),
          `${channel}: the oracle rejects its own example ${describePayload(valid)}`,
        ).toBe(false);
        expect(
          channels[channel].request.safeParse(valid).success,
          `${channel}: example ${describePayload(valid)} (seed ${SEED})`,
        ).toBe(true);
      }
    }
    const before = counter.calls;
    expect(await dispatch('trash:list', { accountId, parentId: null, cursor: null }, caller)).toMatchObject({
      ok: true,
    });
    expect(counter.calls).toBeGreaterThan(before);
  });

  it('rejects payloads nested 50,000 deep without overflowing (the random generator stays at 2,000: its own helpers recurse)', async () => {
    const { dispatch, counter } = await setup();
    counter.calls = 0;
    for (const deep of [deepArray(50_000), deepObject(50_000)]) {
      for (const payload of [
        deep,
        { accountId: 'a', parentId: null, cursor: null, extra: deep },
        { items: deep, destination: { kind: 'original' }, resolutions: {} },
      ]) {
        for (const channel of ['trash:list', 'ops:restore'] as const) {
          expect(await dispatch(channel, payload, caller)).toMatchObject({
            ok: false,
            error: { code: 'INVALID_INPUT' },
          });
          fuzzed++;
        }
      }
    }
    expect(counter.calls).toBe(0);
  });

  it(
    'rejects every malformed payload with INVALID_INPUT, calls nothing, and keeps working',
    { timeout: 60_000 },
    async () => {
      const { dispatch, counter, accountId, internalErrors, demoStarts } = await setup();
      const rng = new Rng(SEED ^ 0x5a17);
      counter.calls = 0;
      counter.log.length = 0;
      let longestMessage = 0;
      const started = performance.now();

      for (const channel of Object.keys(channels) as Channel[]) {
        const request = channels[channel].request as unknown as Schema;
        let sent = 0;
        for (let attempt = 0; sent < PER_CHANNEL && attempt < PER_CHANNEL * 20; attempt++) {
          const payload = mutate(request, example(request, { rng, accountId }), rng);
          // The dispatcher reads a missing payload as {} (a request with no fields).
          if (!mustReject(request, payload ?? {})) continue;
          const before = counter.calls;
          const result = await dispatch(channel, payload, caller);
          sent++;
          fuzzed++;
          const what = `${channel} ← ${describePayload(payload)} (seed ${SEED})`;
          if (result.ok || result.error.code !== 'INVALID_INPUT') {
            expect.fail(`${what}: expected INVALID_INPUT, got ${result.ok ? 'ok' : result.error.code}`);
          }
          if (counter.calls !== before) expect.fail(`${what}: called ${counter.log.slice(-5).join(', ')}`);
          longestMessage = Math.max(longestMessage, result.error.message.length);
        }
        perChannel[channel] = sent;
        expect(sent, `${channel}: the generator found too few malformed payloads`).toBe(PER_CHANNEL);
      }

      // Channels that are not in the contract, including inherited keys.
      for (const channel of [
        '',
        'accounts:List',
        'accounts:list ',
        '__proto__',
        'constructor',
        'toString',
        'hasOwnProperty',
        'valueOf',
        'k'.repeat(100_000),
        42,
        null,
        undefined,
        {},
        ['accounts:list'],
        NaN,
      ]) {
        const result = await dispatch(channel, {}, caller);
        fuzzed++;
        expect(result, `channel ${describePayload(channel)}`).toMatchObject({
          ok: false,
          error: { code: 'UNKNOWN_CHANNEL' },
        });
        expect(result.ok ? '' : result.error.message.length).toBeLessThan(200);
      }

      const ms = performance.now() - started;
      console.log(
        `IPC fuzz: ${fuzzed} payloads in ${Math.round(ms)} ms; longest INVALID_INPUT message ${longestMessage} chars`,
      );
      expect(counter.calls, counter.log.join(', ')).toBe(0);
      expect(internalErrors).toEqual([]);
      expect(demoStarts()).toBe(0);

      // Nothing leaked onto the shared prototypes.
      expect(Object.keys(Object.prototype)).toEqual([]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
      expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();

      // And the dispatcher still serves well-formed calls.
      const list = await dispatch('accounts:list', {}, caller);
      expect(list).toMatchObject({ ok: true, value: [{ id: accountId, status: 'ok' }] });
      expect(await dispatch('app:info', {}, caller)).toMatchObject({
        ok: true,
        value: { name: 'Salvage', version: '0.0.0-fuzz' },
      });
      const page = await dispatch('trash:list', { accountId, parentId: null, cursor: null }, caller);
      expect(page).toMatchObject({ ok: true, value: { items: [{ name: 'file-1.txt' }, { name: 'file-2.txt' }] } });
      expect(counter.calls).toBeGreaterThan(0);
    },
  );
});
