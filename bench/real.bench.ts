import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { forEachLimited } from '../electron/base/async';
import { WebDavProvider } from '../electron/providers/webdav/provider';
import { RESTORE_CONCURRENCY } from '../electron/providers/webdav/restore';
import { InThreadHost } from '../electron/providers/webdav/trashStream';
import type { TrashItem } from '../shared/model';
import { Dav, pool, type ServerKind } from '../e2e/real/dav';
import { parseRealConfig, REAL_ENV, type RealConfig } from '../e2e/real/targets';
import { record, type Bench, type BenchRow } from './harness';
import { restoreMove, restoreWithSalvage } from './restore.bench';

/**
 * Restoring N trashed files on the REAL servers (the kits in ../shared/servers: Nextcloud 32 and
 * ownCloud 10.15, PHP's built-in server with 2 workers, `Connection: close`, SQLite), Salvage beside
 * the raw-request pattern in the same run. Part of a full `npm run bench` where the kits are (about 6
 * minutes with their start), skipped with its reason where they are not; `npm run bench -- real`
 * runs it alone. SALVAGE_BENCH_REAL=0 leaves it out of a full run.
 *
 * - raw: one restore MOVE per item (the same request bench/restore.bench.ts sends as the vendor's
 *   pattern), 2, 4 and 6 in flight; a 423 Locked answer is sent again after a growing pause, as a
 *   careful script would (counted), and the best of the three times is the baseline;
 * - Salvage: the operations runner and the provider's restore (adaptive concurrency), every item
 *   reported restored and landed.
 *
 * Each pass starts from the same state: N small files PUT into a fresh folder and DELETEd (into the
 * trash), the trash listed with the provider before the clock starts (Salvage's listing is not
 * timed), the N items from that folder kept. After each pass the folder is read with PROPFIND Depth 1
 * (e2e/real/dav.ts, not the code under test): every file must be back, and none of them left in the
 * trash. Between passes the files are DELETEd again. Two rounds, raw first in the first and Salvage
 * first in the second; the key is the mean of the two rounds' ratios (Salvage ÷ best raw), each kept.
 * Requests per item are counted from the kit's own log (<workdir>/logs/server.log) when the workdir
 * is on this machine; the CPU time the kit's php processes spent per pass (/proc, from the kit's
 * PID) and this process's own are recorded beside the wall times: on a 2-core machine shared with
 * other work the wall times swing by 2-3× between passes, what the server spent much less.
 *
 * The servers: SALVAGE_REAL_NEXTCLOUD / SALVAGE_REAL_OWNCLOUD (a kit's `up` JSON, as the contract
 * suite takes them: e2e/real/targets.ts) when set; else the bench starts the kit itself
 * (TMPDIR=/dev/shm, ports SALVAGE_BENCH_REAL_PORTS, "18190 18191") and stops it with `down` at the end.
 * The kits: SALVAGE_KITS, else the first ../shared/servers above the project.
 *   SALVAGE_BENCH_REAL_ITEMS (200), SALVAGE_BENCH_REAL_ROUNDS (2), SALVAGE_BENCH_REAL_KINDS ("nextcloud,owncloud10").
 */
const ITEMS = Number(process.env.SALVAGE_BENCH_REAL_ITEMS ?? 200);
const ROUNDS = Math.max(1, Number(process.env.SALVAGE_BENCH_REAL_ROUNDS ?? 2));
const KINDS = (process.env.SALVAGE_BENCH_REAL_KINDS ?? 'nextcloud,owncloud10')
  .split(',')
  .filter(Boolean) as ServerKind[];
const CONCURRENCIES = [2, 4, 6];
const [NC_PORT, OC_PORT] = (process.env.SALVAGE_BENCH_REAL_PORTS ?? '18190 18191').split(/\s+/).map(Number);
const PORTS: Record<ServerKind, number> = { nextcloud: NC_PORT ?? 18190, owncloud10: OC_PORT ?? 18191 };
const KIT_DIRS: Record<ServerKind, string> = { nextcloud: 'nextcloud-32', owncloud10: 'owncloud-10' };
/** Sends of one raw MOVE answered 423 at most, the pause doubling from the first. */
const LOCKED_TRIES = 8;
const LOCKED_FIRST_PAUSE_MS = 250;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The folder holding the kits, or null when this machine has none. */
function findKits(): string | null {
  if (process.env.SALVAGE_KITS) return process.env.SALVAGE_KITS;
  for (let dir = root; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dirname(dir), 'shared', 'servers');
    if (existsSync(join(candidate, 'nextcloud-32', 'up'))) return candidate;
  }
  return null;
}

function kitsDir(): string {
  const dir = findKits();
  if (!dir)
    throw new Error('no real-server kits found: set SALVAGE_KITS to the folder holding nextcloud-32/ and owncloud-10/');
  return dir;
}

/** Why this bench cannot run here (no kit given by the environment and none found), or null. */
function unavailable(): string | null {
  if (KINDS.every((kind) => process.env[REAL_ENV[kind]])) return null;
  return findKits() ? null : 'no real-server kits (../shared/servers or SALVAGE_KITS) and no SALVAGE_REAL_* servers';
}

interface Kit extends RealConfig {
  /** Whether this bench started the kit (and stops it). */
  owned: boolean;
  /** The php -S master's PID (the kit's JSON), when the server runs on this machine. */
  pid: number | null;
  stop(): void;
}

/** The kit named by the environment, else one started here (and stopped by `stop`). */
function kitFor(kind: ServerKind): Kit {
  const env = process.env[REAL_ENV[kind]];
  if (env) return { ...parseRealConfig(env), owned: false, pid: pidOf(env), stop: () => undefined };
  const dir = join(kitsDir(), KIT_DIRS[kind]);
  const tmp = existsSync('/dev/shm') ? '/dev/shm' : (process.env.TMPDIR ?? '/tmp');
  process.stderr.write(`real ${kind}: starting ${dir}/up ${PORTS[kind]}…\n`);
  const out = execFileSync(join(dir, 'up'), [String(PORTS[kind])], {
    env: { ...process.env, TMPDIR: tmp },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 10 * 60_000,
  });
  const line = out.trim().split('\n').pop() ?? '';
  const config = parseRealConfig(line);
  const workdir = config.workdir;
  if (!workdir) throw new Error(`${dir}/up printed no workdir: ${out}`);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
    process.stderr.write(`real ${kind}: stopping ${workdir}\n`);
    execFileSync(join(dir, 'down'), [workdir], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
  };
  // Stopped on an interrupt too (a `finally` does not run then).
  const interrupted = () => {
    stop();
    process.exit(130);
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  return { ...config, owned: true, pid: pidOf(line), stop };
}

/** The "pid" of a kit's JSON line, if it has one. */
function pidOf(json: string): number | null {
  try {
    const pid = (JSON.parse(json) as { pid?: unknown }).pid;
    return typeof pid === 'number' ? pid : null;
  } catch {
    return null;
  }
}

/**
 * CPU time the server spent (user + system, ms): the php -S master and its workers (its children),
 * from /proc. What a pass cost the server, less swayed than wall time by other work on the machine.
 * Null when the PID is unknown or not on this machine.
 */
function serverCpuMs(pid: number | null): number | null {
  if (pid === null || !existsSync(`/proc/${pid}/stat`)) return null;
  const ticks = (stat: string) => {
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), cpu: Number(f[11]) + Number(f[12]) };
  };
  let sum = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let t: { ppid: number; cpu: number };
    try {
      t = ticks(readFileSync(`/proc/${entry}/stat`, 'utf8'));
    } catch {
      continue; // gone meanwhile
    }
    if (Number(entry) === pid || t.ppid === pid) sum += t.cpu;
  }
  return sum * 10; // USER_HZ is 100 on Linux
}

/** Requests the kit answered, read from its log (php -S writes `[status]: METHOD path` per request). */
class KitLog {
  private offset = 0;
  constructor(private readonly path: string | null) {}
  mark(): void {
    if (this.path) this.offset = statSync(this.path).size;
  }
  /** Requests since the mark: by "METHOD status". Null when the log is not on this machine. */
  async since(): Promise<Record<string, number> | null> {
    if (!this.path) return null;
    await sleep(300); // the worker writes its line as it closes the connection
    const size = statSync(this.path).size;
    const buf = Buffer.alloc(size - this.offset);
    const fd = openSync(this.path, 'r');
    try {
      readSync(fd, buf, 0, buf.length, this.offset);
    } finally {
      closeSync(fd);
    }
    const out: Record<string, number> = {};
    for (const m of buf.toString('utf8').matchAll(/\[(\d{3})\]: ([A-Z]+) /g))
      out[`${m[2]} ${m[1]}`] = (out[`${m[2]} ${m[1]}`] ?? 0) + 1;
    return out;
  }
}

const total = (counts: Record<string, number> | null) =>
  counts ? Object.values(counts).reduce((a, b) => a + b, 0) : NaN;

interface Pass {
  pattern: string;
  ms: number;
  /** Requests the server answered during the pass ÷ items (NaN when not counted). */
  requestsPerItem: number;
  requests: Record<string, number> | null;
  /** Raw: MOVEs answered 423 and sent again. */
  locked: number;
  /** CPU time the server spent during the pass (ms), or null. */
  serverCpuMs: number | null;
  /**
   * CPU time this process (the client: raw fetches, or Salvage) spent during the pass (ms); on 2 cores it competes with
   * the server.
   */
  clientCpuMs: number;
}

interface Round {
  raw: Pass[];
  salvage: Pass;
  /** Salvage's time ÷ the best raw time. */
  ratio: number;
  best: Pass;
}

async function measureKind(kind: ServerKind): Promise<{ rounds: Round[]; load: number[] }> {
  const kit = kitFor(kind);
  try {
    const dav = new Dav(kit.url, kit.user, kit.password, kind);
    const auth = `Basic ${Buffer.from(`${kit.user}:${kit.password}`).toString('base64')}`;
    const log = new KitLog(
      kit.workdir && existsSync(join(kit.workdir, 'logs', 'server.log'))
        ? join(kit.workdir, 'logs', 'server.log')
        : null,
    );
    const account = {
      id: 'bench',
      kind,
      label: '',
      serverUrl: kit.url,
      user: kit.user,
      userId: kit.user,
      userName: kit.user,
      demo: false,
    } as const;
    const provider = () =>
      new WebDavProvider(
        kind,
        account,
        { user: kit.user, secret: kit.password },
        { parseHost: new InThreadHost(), http: { timeoutMs: 300_000 } },
      );
    const run = Date.now().toString(36);

    /** A folder of n files, put into the trash; answers the folder and the file names. */
    const seed = async (folder: string, n: number) => {
      const names = Array.from({ length: n }, (_, i) => `file ${String(i).padStart(4, '0')}.txt`);
      await dav.mkdirs(folder);
      await pool(names, 2, (name) => dav.put(`${folder}/${name}`, `${folder}/${name}\n`));
      return names;
    };
    const trash = (folder: string, names: string[]) => pool(names, 2, (name) => dav.trash(`${folder}/${name}`));
    /** The trashed items from the folder, listed by the provider (not timed). */
    const listed = async (folder: string, n: number) => {
      const items: TrashItem[] = [];
      for await (const chunk of provider().listTrash(null)) items.push(...chunk.items);
      const mine = items.filter((i) => i.originalFolder === `/${folder}`);
      if (mine.length !== n)
        throw new Error(`real ${kind}: ${mine.length} items from /${folder} in the trash, expected ${n}`);
      return mine;
    };
    /** The server's state after a pass: every file back in the folder, none from it in the trash. */
    const verify = async (folder: string, names: string[], what: string) => {
      const live = await dav.list(folder);
      const missing = names.filter((n) => !live?.has(n));
      const left = (await dav.trashEntries()).filter((e) => e.location.startsWith(`${folder}/`));
      if (missing.length || left.length)
        throw new Error(
          `real ${kind} ${what}: ${missing.length} of ${names.length} files not back in /${folder} (e.g. ${missing[0] ?? '—'}), ${left.length} still in the trash`,
        );
    };

    // One MOVE per item; 423 sent again after a pause (ownCloud may answer 423 after the move went
    // through: a later 404 with the file in place is then a success).
    let locked = 0;
    const moveOne = (folder: string) => async (item: TrashItem) => {
      const { from, to } = restoreMove(kind, kit.user, item);
      for (let attempt = 1; ; attempt++) {
        const res = await fetch(kit.url + from, {
          method: 'MOVE',
          headers: { Authorization: auth, Destination: kit.url + to },
        });
        await res.body?.cancel();
        if (res.status === 201 || res.status === 204) return;
        if (
          res.status === 404 &&
          attempt > 1 &&
          (await dav.request('PROPFIND', dav.filesPath(`${folder}/${item.name}`), { headers: { Depth: '0' } }))
            .status === 207
        )
          return;
        if (res.status !== 423 || attempt === LOCKED_TRIES)
          throw new Error(`real ${kind}: MOVE ${item.name} answered ${res.status} (try ${attempt})`);
        locked++;
        await sleep(LOCKED_FIRST_PAUSE_MS * 2 ** (attempt - 1));
      }
    };
    const raw = (folder: string, concurrency: number) => async (items: TrashItem[]) => {
      await forEachLimited(items, concurrency, new AbortController().signal, moveOne(folder));
    };
    const salvage = (items: TrashItem[]) => restoreWithSalvage(provider(), items, `real ${kind}: Salvage`);
    /**
     * One pass: the folder's files in the trash (trashed again unless fresh), listed, restored by `fn` (timed),
     * checked.
     */
    const pass = async (
      pattern: string,
      folder: string,
      names: string[],
      fn: (items: TrashItem[]) => Promise<void>,
      fresh = false,
    ): Promise<Pass> => {
      if (!fresh) await trash(folder, names);
      const items = await listed(folder, names.length);
      locked = 0;
      log.mark();
      const cpu0 = serverCpuMs(kit.pid);
      const client0 = process.cpuUsage();
      const t0 = performance.now();
      await fn(items);
      const ms = performance.now() - t0;
      const client = process.cpuUsage(client0);
      const cpu1 = serverCpuMs(kit.pid);
      const requests = await log.since();
      await verify(folder, names, pattern);
      return {
        pattern,
        ms,
        requestsPerItem: total(requests) / names.length,
        requests,
        locked,
        serverCpuMs: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0,
        clientCpuMs: (client.user + client.system) / 1000,
      };
    };

    // Warm-up, not measured: PHP compiles the restore paths once (opcache), both ways.
    const warm = `realbench-${run}-warm`;
    const warmNames = await seed(warm, 8);
    await trash(warm, warmNames);
    await pass('warm-up raw', warm, warmNames, raw(warm, 2), true);
    await pass('warm-up salvage', warm, warmNames, salvage);

    const folder = `realbench-${run}`;
    const t = performance.now();
    const names = await seed(folder, ITEMS);
    await trash(folder, names);
    process.stderr.write(
      `real ${kind}: ${ITEMS} files put and trashed in ${((performance.now() - t) / 1000).toFixed(1)} s\n`,
    );
    let fresh = true;
    const once = async (pattern: string, fn: (items: TrashItem[]) => Promise<void>) => {
      const p = await pass(pattern, folder, names, fn, fresh);
      fresh = false;
      process.stderr.write(
        `real ${kind} ${p.pattern}: ${(p.ms / 1000).toFixed(1)} s, ${((ITEMS * 1000) / p.ms).toFixed(1)} items/s, server CPU ${p.serverCpuMs === null ? '?' : `${(p.serverCpuMs / 1000).toFixed(1)} s`}, client CPU ${(p.clientCpuMs / 1000).toFixed(1)} s${p.locked ? `, ${p.locked} × 423 sent again` : ''}${p.requests ? `, ${JSON.stringify(p.requests)}` : ''} (load ${loadavg()[0]!.toFixed(1)})\n`,
      );
      return p;
    };
    const rounds: Round[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const rawPasses: Pass[] = [];
      const raws = async (order: number[]) => {
        for (const c of order) rawPasses.push(await once(`raw c=${c}`, raw(folder, c)));
      };
      let salvagePass: Pass;
      // Raw first in even rounds, Salvage first in odd ones (and the concurrencies the other way round).
      if (r % 2 === 0) {
        await raws(CONCURRENCIES);
        salvagePass = await once('salvage', salvage);
      } else {
        salvagePass = await once('salvage', salvage);
        await raws([...CONCURRENCIES].reverse());
      }
      const best = rawPasses.reduce((a, b) => (b.ms < a.ms ? b : a));
      const ratio = salvagePass.ms / best.ms;
      process.stderr.write(
        `real ${kind} round ${r + 1}/${ROUNDS}: salvage ${(salvagePass.ms / 1000).toFixed(1)} s ÷ best raw (${best.pattern}) ${(best.ms / 1000).toFixed(1)} s = ${ratio.toFixed(3)}\n`,
      );
      rounds.push({ raw: rawPasses, salvage: salvagePass, ratio, best });
    }
    // A kit given by the environment keeps running: the bench's folders go (into its trash).
    if (!kit.owned) for (const f of [warm, folder]) await dav.request('DELETE', dav.filesPath(f));
    return { rounds, load: loadavg() };
  } finally {
    kit.stop();
  }
}

/** The middle value; the mean of the two middle ones for an even count. */
const mid = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
};
const r2 = (n: number) => Math.round(n * 1000) / 1000;

const bench: Bench = async () => {
  const rows: BenchRow[] = [];
  const why = unavailable();
  if (why) {
    process.stderr.write(`real.bench.ts skipped: ${why}\n`);
    return rows;
  }
  for (const kind of KINDS) {
    const { rounds, load } = await measureKind(kind);
    const ratios = rounds.map((r) => r.ratio);
    const loadNote = `load ${load.map((l) => l.toFixed(1)).join(' ')} at the end`;
    const perRound = rounds
      .map(
        (r, i) =>
          `round ${i + 1}: salvage ${(r.salvage.ms / 1000).toFixed(1)} s, raw ${r.raw.map((p) => `${p.pattern.slice(4)} ${(p.ms / 1000).toFixed(1)} s${p.locked ? ` (${p.locked}×423)` : ''}`).join(', ')} → ${r.ratio.toFixed(3)}`,
      )
      .join('; ');
    const where = `${ITEMS} files restored to their folder on the real ${kind === 'nextcloud' ? 'Nextcloud 32' : 'ownCloud 10.15'} kit (php -S, 2 workers, Connection: close)`;
    record(
      `restore_real_${kind}_vs_raw_moves`,
      kind,
      mid(ratios),
      '×',
      false,
      `Salvage's time ÷ raw MOVEs at the best of ${CONCURRENCIES.join('/')} in flight; ${where}; median (mean of the middle two) of ${rounds.length} rounds, raw and Salvage alternated: ${perRound}; target ≤ 1.1; ${loadNote}`,
      ratios.map(r2),
    );
    const bestMs = rounds.map((r) => r.best.ms);
    const salvageMs = rounds.map((r) => r.salvage.ms);
    record(
      `restore_real_${kind}_raw_ms`,
      kind,
      mid(bestMs),
      'ms',
      false,
      `best raw pattern per round (${rounds.map((r) => r.best.pattern).join(', ')}); ${where}`,
      bestMs.map(r2),
    );
    record(
      `restore_real_${kind}_salvage_ms`,
      kind,
      mid(salvageMs),
      'ms',
      false,
      `Salvage (runner + provider, adaptive concurrency from ${RESTORE_CONCURRENCY}); ${where}`,
      salvageMs.map(r2),
    );
    record(
      `restore_real_${kind}_salvage_items_per_s`,
      kind,
      mid(salvageMs.map((ms) => (ITEMS * 1000) / ms)),
      'items/s',
      true,
      where,
      salvageMs.map((ms) => r2((ITEMS * 1000) / ms)),
    );
    record(
      `restore_real_${kind}_raw_items_per_s`,
      kind,
      mid(bestMs.map((ms) => (ITEMS * 1000) / ms)),
      'items/s',
      true,
      `best raw pattern per round; ${where}`,
      bestMs.map((ms) => r2((ITEMS * 1000) / ms)),
    );
    const lockedRaw = rounds.map((r) => r.raw.reduce((n, p) => n + p.locked, 0));
    record(
      `restore_real_${kind}_raw_423_resent`,
      kind,
      mid(lockedRaw),
      'req',
      false,
      `raw MOVEs answered 423 Locked and sent again, per round (all three concurrencies)`,
      lockedRaw,
    );
    const cpu = rounds.map((r) =>
      r.salvage.serverCpuMs !== null && r.best.serverCpuMs ? r.salvage.serverCpuMs / r.best.serverCpuMs : NaN,
    );
    if (cpu.every(Number.isFinite)) {
      record(
        `restore_real_${kind}_server_cpu_vs_raw`,
        kind,
        mid(cpu),
        '×',
        false,
        `CPU time the kit's php processes spent during Salvage's restore ÷ during the best raw pass (/proc; less swayed by other load than wall time); per round: server ${rounds.map((r) => `${((r.salvage.serverCpuMs ?? 0) / 1000).toFixed(1)} s vs ${((r.best.serverCpuMs ?? 0) / 1000).toFixed(1)} s`).join(', ')}; client (this process) ${rounds.map((r) => `${(r.salvage.clientCpuMs / 1000).toFixed(1)} s vs ${(r.best.clientCpuMs / 1000).toFixed(1)} s`).join(', ')}; ${where}`,
        cpu.map(r2),
      );
    }
    const perItem = rounds.map((r) => r.salvage.requestsPerItem);
    if (perItem.every(Number.isFinite)) {
      record(
        `restore_real_${kind}_salvage_requests_per_item`,
        kind,
        mid(perItem),
        'req',
        false,
        `requests the kit answered (its server.log) while Salvage restored, ÷ items; e.g. ${JSON.stringify(rounds[0]!.salvage.requests)}; raw best pattern: ${rounds.map((r) => r.best.requestsPerItem.toFixed(3)).join(', ')}`,
        perItem.map(r2),
      );
    }
    rounds.forEach((r, i) =>
      rows.push({
        bench: `restore real ${kind}`,
        measure: `${ITEMS} items, round ${i + 1} of ${rounds.length}`,
        unit: 'ms',
        baseline: r.best.ms,
        baselineLabel: `raw MOVEs, ${r.best.pattern.slice(4)}`,
        candidate: r.salvage.ms,
        candidateLabel: 'salvage',
        target: r.best.ms * 1.1,
      }),
    );
  }
  return rows;
};

export default bench;
