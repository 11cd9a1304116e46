import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fault } from '../../electron/demo/servers/control';
import { defaultHttpOptions } from '../../electron/net/http';
import { createMemoryServices } from '../../electron/services/index';
import { ERROR_CODES } from '../../shared/errors';
import type { AccountKind, ItemResult, OperationView, TrashItem } from '../../shared/model';
import { NAMES, OPS, startFaultServer, type FaultServer, type Op } from './servers';

/**
 * The fault matrix: every fault a server or a network can throw at one request of every
 * operation, on every server kind. For each cell it checks the server's final state against what
 * the user was told: no item lost (each is still in the trash or at its destination), nothing
 * reported done that is not, nothing reported failed that the server did (after a reset, look
 * before you report), every item that did not happen has a reason, and a listing is complete or
 * fails — never quietly short. `npm run test:faults` runs it alone; `npm test` runs it too.
 */

type FaultSpec = Omit<Fault, 'method' | 'path'>;
const FAULTS: Record<string, FaultSpec> = {
  '500 server error': { status: 500, faithful: true },
  '502 bad gateway': { status: 502, faithful: true },
  '503 unavailable': { status: 503, faithful: true },
  '503 + Retry-After': { status: 503, faithful: true, retryAfter: 1 },
  '401 (sign-in expired)': { status: 401, faithful: true },
  '403 forbidden': { status: 403, faithful: true },
  '404 (already gone)': { status: 404, faithful: true },
  '409 (parent missing)': { status: 409, faithful: true },
  '412 (taken after the check)': { status: 412, faithful: true },
  '423 (locked)': { status: 423, faithful: true },
  '429 + Retry-After': { status: 429, faithful: true, retryAfter: 1 },
  '507 (quota)': { status: 507, faithful: true },
  'reset before acting': { kind: 'reset' },
  'reset after acting': { kind: 'reset', after: true },
  'never answers': { kind: 'hang' },
  'slow body': { kind: 'slow-body', chunkBytes: 256, intervalMs: 10 },
  'truncated body': { kind: 'truncate' },
  'malformed body': { kind: 'malformed' },
  'HTML login page': { kind: 'login-page' },
};
const KINDS: AccountKind[] = ['nextcloud', 'owncloud10', 'ocis', 'docspace'];
const SUCCESS = new Set(['restored', 'renamed', 'replaced', 'merged', 'deleted', 'trashed', 'reverted']);

interface Cell {
  kind: AccountKind;
  op: Op;
  fault: string;
  passed: boolean;
  itemsLost: number;
  falseSuccesses: number;
  falseFailures: number;
  noReason: number;
  hit: boolean;
  told: string;
  problems: string[];
}
const cells: Cell[] = [];

// A server that never answers is given up on quickly here (the default is 30 s), and a pause a
// server or a back-off asks for (Retry-After: 1, 0.5 s, …) lasts at most 20 ms: what the client does
// after it is the same, sooner. (Every cell signs a new account in, each with its own listing worker:
// the one the run built, scripts/vitest/globalSetup.ts.)
const saved = { ...defaultHttpOptions };
beforeAll(() => {
  defaultHttpOptions.timeoutMs = 1_500;
  defaultHttpOptions.pauseCapMs = 20;
});
afterAll(() => {
  defaultHttpOptions.timeoutMs = saved.timeoutMs;
  defaultHttpOptions.pauseCapMs = saved.pauseCapMs;
  report();
});

async function runCell(server: FaultServer, op: Op, faultName: string): Promise<Cell> {
  server.control.reset();
  const services = createMemoryServices();
  const accountId = (
    await services.handlers['accounts:add']({
      serverUrl: server.url,
      kind: server.kind,
      user: server.user,
      secret: server.secret,
    })
  ).id;
  const top = await services.trash.readAll(accountId, null);
  const mine = NAMES.map((n) => top.find((i) => i.name === n)!);
  const box = top.find((i) => i.name === 'Box')!;
  const cell: Cell = {
    kind: server.kind,
    op,
    fault: faultName,
    passed: false,
    itemsLost: 0,
    falseSuccesses: 0,
    falseFailures: 0,
    noReason: 0,
    hit: false,
    told: '',
    problems: [],
  };
  const refs = mine.map((i) => ({ accountId, id: i.id }));
  // Keep both for any conflict: a fault may fake one, and nothing may be overwritten unless the user chose Replace.
  const resolutions = Object.fromEntries(mine.map((i) => [i.key, 'keep-both' as const]));
  const run = async (op: Promise<OperationView> | OperationView) => services.runner.wait((await op).id);
  const liveBefore = server.live('Docs');

  if (op === 'undo') {
    const restored = await run(services.ops.restore({ items: refs, destination: { kind: 'original' }, resolutions }));
    if (restored.results.some((r) => r.outcome !== 'restored'))
      throw new Error(`setup restore failed: ${JSON.stringify(restored.results)}`);
  }
  const handle = server.control.fault({ ...FAULTS[faultName], ...server.target(op) });

  if (op === 'list' || op === 'list inside a trashed folder') {
    const truth = op === 'list' ? server.trash() : server.insideBox()!;
    let listed: TrashItem[] | null = null;
    try {
      listed = await services.trash.readAll(accountId, op === 'list' ? null : box.id);
    } catch (e) {
      const err = e as { code?: string; message?: string };
      cell.told = `failed: ${err.code}`;
      if (!err.code || !(ERROR_CODES as readonly string[]).includes(err.code) || !err.message)
        cell.problems.push(`no usable reason: ${String(e)}`);
    }
    if (listed) {
      cell.told = `${listed.length} listed`;
      const names = listed.map((i) => i.name).sort();
      if (JSON.stringify(names) !== JSON.stringify(truth))
        cell.problems.push(`listing shown as complete but differs: ${names.join(',')} vs ${truth.join(',')}`);
    }
  } else {
    let view: OperationView;
    if (op === 'restore')
      view = await run(services.ops.restore({ items: refs, destination: { kind: 'original' }, resolutions }));
    else if (op === 'restore to a folder')
      view = await run(
        services.ops.restore({
          items: refs,
          destination: { kind: 'folder', accountId, folderId: server.destId() },
          resolutions,
        }),
      );
    else if (op === 'delete') view = await run(services.ops.remove(refs));
    else if (op === 'empty') view = await run(services.ops.empty(accountId));
    else view = await run(services.ops.undo(services.runner.list().find((o) => o.kind === 'restore')!.id));
    server.control.clearFaults();
    cell.told = summarise(view.results);
    judge(server, op, view, cell, liveBefore);
  }
  cell.hit = handle.hits > 0;
  // A cell whose fault never reached the client proves nothing.
  if (!cell.hit) cell.problems.push('the fault never fired: the operation did not send the request it was aimed at');
  server.control.clearFaults();
  cell.passed = cell.problems.length === 0;
  return cell;
}

/** Compares what the user was told with the server's state. */
function judge(server: FaultServer, op: Op, view: OperationView, cell: Cell, liveBefore: string[]): void {
  const trash = server.trash();
  const results = new Map(view.results.map((r) => [r.name, r]));
  const names: string[] = op === 'empty' ? [...new Set([...NAMES, 'Box'])] : [...NAMES];
  for (const name of names) {
    const r: ItemResult | undefined = results.get(name);
    const inTrash = trash.includes(name);
    const atDest =
      op === 'restore'
        ? server.live('Docs').includes(name)
        : op === 'restore to a folder'
          ? server.live('Dest').includes(name)
          : false;
    const live = server.live('Docs').includes(name);
    // What the server did with it, by operation.
    const done =
      op === 'restore' || op === 'restore to a folder'
        ? atDest && !inTrash
        : op === 'undo'
          ? inTrash && !live
          : !inTrash;
    const lost =
      op === 'restore' || op === 'restore to a folder'
        ? !atDest && !inTrash
        : op === 'undo'
          ? !inTrash && !live
          : false;
    if (lost) {
      cell.itemsLost++;
      cell.problems.push(`${name} lost (neither in the trash nor at its destination)`);
    }
    if (!r) {
      cell.problems.push(`${name}: no result`);
      continue;
    }
    const success = SUCCESS.has(r.outcome);
    if (success && !done) {
      cell.falseSuccesses++;
      cell.problems.push(`${name} reported ${r.outcome} but it was not done`);
    }
    if (!success && done) {
      cell.falseFailures++;
      cell.problems.push(`${name} reported ${r.outcome} but the server did it`);
    }
    if (!success && (!r.error || !r.error.message || !(ERROR_CODES as readonly string[]).includes(r.error.code))) {
      cell.noReason++;
      cell.problems.push(`${name} ${r.outcome} without a reason`);
    }
  }
  // Nothing overwritten or removed that the user did not ask about.
  const neighbour = server.live('Docs').includes('keep.txt');
  if (!neighbour || (liveBefore.includes('keep.txt') && !neighbour))
    cell.problems.push('keep.txt (an untouched neighbour) changed');
}

function summarise(results: ItemResult[]): string {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ') || 'nothing';
}

function report(): void {
  if (cells.length === 0) return;
  const faults = Object.keys(FAULTS);
  // In matrix order (the kinds ran side by side, so they finished interleaved).
  const order = (c: Cell) =>
    (KINDS.indexOf(c.kind) * OPS.length + OPS.indexOf(c.op)) * faults.length + faults.indexOf(c.fault);
  cells.sort((a, b) => order(a) - order(b));
  const lines: string[] = [];
  for (const kind of KINDS) {
    const mine = cells.filter((c) => c.kind === kind);
    if (mine.length === 0) continue;
    lines.push(`\n${kind}`.padEnd(30) + OPS.map((o) => o.slice(0, 12).padEnd(13)).join(''));
    for (const f of faults) {
      lines.push(
        `  ${f}`.padEnd(30) +
          OPS.map((o) => {
            const c = mine.find((x) => x.op === o && x.fault === f);
            return (c ? (c.passed ? 'ok' : 'FAIL') : '-').padEnd(13);
          }).join(''),
      );
    }
  }
  const passed = cells.filter((c) => c.passed).length;
  const totals = {
    cells: cells.length,
    passed,
    failed: cells.length - passed,
    items_lost: cells.reduce((n, c) => n + c.itemsLost, 0),
    false_successes: cells.reduce((n, c) => n + c.falseSuccesses, 0),
    false_failures: cells.reduce((n, c) => n + c.falseFailures, 0),
    ipc_payloads_fuzzed: fuzzed(),
  };
  console.log(
    `\nFault matrix (ok = the fault fired and every invariant held)${lines.join('\n')}\n\n${JSON.stringify(totals)}`,
  );
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'latest.json'),
    `${JSON.stringify({ ...totals, generated: new Date().toISOString(), ...hostile(join(dir, 'latest.json')), cellsDetail: cells }, null, 2)}\n`,
  );
}

/**
 * The hostile-server suite's keys (hostile.test.ts writes them into the same file, maybe earlier in this run): kept as
 * they are.
 */
function hostile(file: string): Record<string, unknown> {
  try {
    const existing = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(existing).filter(([k]) => k.startsWith('hostile')));
  } catch {
    return {};
  }
}

/** The IPC fuzz test's count from the same run (it writes test-results/ipc-fuzz.json); 0 when it did not run. */
function fuzzed(): number {
  const file = join(import.meta.dirname, '..', '..', 'test-results', 'ipc-fuzz.json');
  if (!existsSync(file)) return 0;
  try {
    return Number(
      (JSON.parse(readFileSync(file, 'utf8')) as { ipc_payloads_fuzzed?: number }).ipc_payloads_fuzzed ?? 0,
    );
  } catch {
    return 0;
  }
}

// The four kinds run side by side (each on its own server, with its own accounts); the cells of one
// kind run one after another, as each resets the server the one before left.
for (const kind of KINDS) {
  describe.concurrent(`fault matrix on ${kind}`, () => {
    let server: FaultServer;
    beforeAll(async () => void (server = await startFaultServer(kind)));
    afterAll(() => server.close());
    for (const op of OPS) {
      for (const fault of Object.keys(FAULTS)) {
        it.sequential(`${op} × ${fault}`, { timeout: 30_000 }, async () => {
          const cell = await runCell(server, op, fault);
          cells.push(cell);
          expect(cell.problems, `${kind} · ${op} · ${fault}: told "${cell.told}"`).toEqual([]);
        });
      }
    }
  });
}
