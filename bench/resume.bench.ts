import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWebDavServer, type WebDavServer } from '../electron/demo/servers/webdav/server';
import { WEBDAV_USERS } from '../electron/demo/servers/webdav/seed';
import { jsonLines, runCli, runMain } from '../electron/hosts/cli/run-cli';
import { isSettled, listBatchJournals } from '../electron/operations/journal';
import { parseItemKey } from '../shared/model';
import { record, type Bench, type BenchRow } from './harness';

/**
 * A command line killed with SIGKILL mid-restore at random points, then `salvage resume`, against
 * the Nextcloud and ownCloud 10 test servers (tries alternate between them):
 *
 * - each try restores ITEMS files of /Batch (10 ms per request); the kill point is the nth MOVE
 *   (random n), held before or after the server acted on it (random), plus a random 0–60 ms
 *   before the SIGKILL, so other MOVEs in flight are anywhere in their exchange;
 * - then `salvage resume <id>` (in this process) and the server's state is read:
 *   resume_items_lost: items not back at their place (still in the trash, or nowhere);
 *   resume_items_done_twice: extra files in /Batch (a "(restored)" or other copy), plus items the
 *   resume reported done afresh although the killed run's journal had them settled.
 * The random seed is printed and kept (SALVAGE_BENCH_SEED replays a run).
 */
const TRIES = Number(process.env.SALVAGE_BENCH_RESUME_TRIES ?? 20);
const ITEMS = Number(process.env.SALVAGE_BENCH_RESUME_ITEMS ?? 100);
const SEED = Number(process.env.SALVAGE_BENCH_SEED ?? Date.now() % 1_000_000);

/** mulberry32: a small seeded generator, so a run can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ResumeTry {
  kind: string;
  nth: number;
  after: boolean;
  delayMs: number;
  /** Items with a settling result in the killed run's journal. */
  settledBeforeKill: number;
  lost: number;
  doneTwice: number;
  resumeCode: number;
  note: string;
}

async function oneTry(server: WebDavServer, kind: 'nextcloud' | 'owncloud10', rnd: () => number): Promise<ResumeTry> {
  const names = Array.from({ length: ITEMS }, (_, i) => `many-${i}.txt`);
  server.control.reset();
  server.tree.mkdirs('alice', 'Batch');
  server.control.seed('alice', ITEMS, { prefix: 'many-', folder: 'Batch' });
  const dataDir = mkdtempSync(join(tmpdir(), 'salvage-resume-bench-'));
  const env = { SALVAGE_PASSWORD: WEBDAV_USERS.alice.appPassword, SALVAGE_DATA_DIR: dataDir };
  const idOf = (name: string) => {
    const e = server.tree.trashOf('alice').find((x) => server.tree.node(x.nodeId).name === name)!;
    return kind === 'nextcloud' ? `${name}.d${Math.floor(e.deletedAt / 1000)}` : String(e.id);
  };
  const ids = names.map(idOf);
  const nth = 1 + Math.floor(rnd() * ITEMS);
  const after = rnd() < 0.5;
  const delayMs = Math.floor(rnd() * 60);
  try {
    server.control.setLatency(10);
    server.control.fault({ kind: 'hang', method: 'MOVE', nth, after });
    const killed = await runCli(
      ['restore', ...ids, '--server', server.url, '--user', 'alice', '--kind', kind, '--json'],
      env,
      (child: ChildProcess) => {
        const timer = setInterval(() => {
          if (server.control.hungCount === 0) return;
          clearInterval(timer);
          setTimeout(() => child.kill('SIGKILL'), delayMs);
        }, 5);
        child.on('exit', () => clearInterval(timer));
      },
    );
    server.control.clearFaults();
    server.control.releaseHung();
    server.control.setLatency(0);
    const [journal] = listBatchJournals(join(dataDir, 'batches'));
    if (!journal)
      return {
        kind,
        nth,
        after,
        delayMs,
        settledBeforeKill: 0,
        lost: ITEMS,
        doneTwice: 0,
        resumeCode: -1,
        note: `no journal (CLI exit ${killed.code}: ${killed.stderr.slice(0, 200)})`,
      };
    const settledBefore = new Set(
      [...journal.results].filter(([, r]) => isSettled(r)).map(([key]) => parseItemKey(key).id),
    );
    const resumed = await runMain(['resume', journal.id.slice(0, 8), '--json'], env);
    const results = resumed.stdout.trim() ? jsonLines(resumed.stdout) : [];
    // Done twice in the reports: a fresh outcome for an item the killed run had settled.
    const twiceReported = results.filter(
      (r) => typeof r.key === 'string' && settledBefore.has(parseItemKey(r.key).id),
    ).length;
    const live = server.tree
      .snapshot('alice')
      .files.filter((f) => f.startsWith('/Batch/') && f !== '/Batch/')
      .map((f) => f.slice('/Batch/'.length));
    const expected = new Set(names);
    const extra = live.filter((n) => !expected.has(n) && !n.startsWith('existing'));
    const present = new Set(live);
    const lost = names.filter((n) => !present.has(n)).length;
    return {
      kind,
      nth,
      after,
      delayMs,
      settledBeforeKill: settledBefore.size,
      lost,
      doneTwice: extra.length + twiceReported,
      resumeCode: resumed.code,
      note: extra.length
        ? `extra: ${extra.slice(0, 3).join(', ')}`
        : resumed.code !== 0
          ? resumed.stderr.slice(-300)
          : '',
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const resumeTries: ResumeTry[] = [];

const bench: Bench = async () => {
  const rnd = random(SEED);
  const servers = {
    nextcloud: await startWebDavServer({ kind: 'nextcloud' }),
    owncloud10: await startWebDavServer({ kind: 'owncloud10' }),
  };
  try {
    for (let i = 0; i < TRIES; i++) {
      const kind = i % 2 === 0 ? 'nextcloud' : 'owncloud10';
      const t = await oneTry(servers[kind], kind, rnd);
      resumeTries.push(t);
      process.stderr.write(
        `resume try ${i + 1}/${TRIES} ${kind}: kill at MOVE ${t.nth} (${t.after ? 'acted on' : 'not acted on'}) + ${t.delayMs} ms; ${t.settledBeforeKill} settled before the kill; lost ${t.lost}, done twice ${t.doneTwice}, resume exit ${t.resumeCode}${t.note ? ` (${t.note})` : ''}\n`,
      );
    }
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.close()));
  }
  const lost = resumeTries.reduce((n, t) => n + t.lost, 0);
  const twice = resumeTries.reduce((n, t) => n + t.doneTwice, 0);
  const failedResumes = resumeTries.filter((t) => t.resumeCode !== 0).length;
  const how = `${TRIES} tries of ${ITEMS} items, SIGKILL at a random MOVE (before/after the server acted) + 0–60 ms, seed ${SEED}, load ${loadavg()[0]!.toFixed(1)}`;
  for (const kind of ['nextcloud', 'owncloud10']) {
    const mine = resumeTries.filter((t) => t.kind === kind);
    record(
      'resume_items_lost',
      kind,
      mine.reduce((n, t) => n + t.lost, 0),
      'items',
      false,
      how,
    );
    record(
      'resume_items_done_twice',
      kind,
      mine.reduce((n, t) => n + t.doneTwice, 0),
      'items',
      false,
      how,
    );
    record(
      'resume_failed_runs',
      kind,
      mine.filter((t) => t.resumeCode !== 0).length,
      'runs',
      false,
      'salvage resume exiting non-zero',
    );
  }
  const rows: BenchRow[] = [
    {
      bench: 'resume after SIGKILL',
      measure: `items lost (${how})`,
      unit: 'items',
      baseline: 0,
      baselineLabel: '—',
      candidate: lost,
      candidateLabel: 'salvage resume',
      target: 0,
    },
    {
      bench: 'resume after SIGKILL',
      measure: 'items done twice',
      unit: 'items',
      baseline: 0,
      baselineLabel: '—',
      candidate: twice,
      candidateLabel: 'salvage resume',
      target: 0,
    },
    {
      bench: 'resume after SIGKILL',
      measure: 'resumes that did not finish (exit ≠ 0)',
      unit: 'runs',
      baseline: 0,
      baselineLabel: '—',
      candidate: failedResumes,
      candidateLabel: 'salvage resume',
      target: 0,
    },
  ];
  return rows;
};

export default bench;
