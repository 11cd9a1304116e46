/**
 * What the watch's check costs a real server: `npx tsx bench/watch-real.ts` with
 * SALVAGE_WATCH_REAL_NEXTCLOUD and/or SALVAGE_WATCH_REAL_OWNCLOUD holding a kit's `up` JSON
 * (/work/shared/servers: {url, user, password, workdir}). Not part of `npm run bench` (it needs the
 * kits, and it writes to the kit's database). Prints one JSON line per kit.
 *
 * The check of Nextcloud and ownCloud 10 is the activity app's feed since the last activity id, so
 * what it costs the server depends on the activity table, not on the trash: the table is filled to
 * ACTIVITY_ROWS file_deleted rows (copies of the kit's own rows, the dates spread over the 30 days
 * before) straight in the kit's SQLite, as 100k deletions would leave it. Timed from the watch's side
 * (request sent to answer read, over loopback through a counting proxy): the quiet checks before and
 * after, beside PHP's floor on the same kit (GET status.php: starting PHP and the server answering
 * nothing) and a Depth 1 PROPFIND of the trash (the listing a check without a cheap request would cost).
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createMemoryServices } from '../electron/services/index';
import type { AccountKind } from '../shared/model';
import { CountingProxy } from './watch.bench';

const ACTIVITY_ROWS = Number(process.env.SALVAGE_BENCH_ITEMS ?? 100_000);
const CHECKS = 15;

interface Kit {
  url: string;
  user: string;
  password: string;
  workdir: string;
}

const sql = (db: string, statement: string) => execFileSync('sqlite3', [db, statement], { encoding: 'utf8' }).trim();

/** Fills oc_activity with file_deleted rows up to `rows` (copies of the ones there, older). */
function fillActivity(workdir: string, rows: number): number {
  const db = `${workdir}/data/owncloud.db`;
  const have = Number(sql(db, "SELECT count(*) FROM oc_activity WHERE type = 'file_deleted'"));
  if (have === 0) throw new Error('the kit has no file_deleted activity to copy: delete a few files first');
  const columns = sql(db, "SELECT name FROM pragma_table_info('oc_activity')")
    .split('\n')
    .filter((c) => c !== 'activity_id');
  const copies = Math.ceil((rows - have) / have);
  if (copies > 0) {
    const select = columns
      .map((c) => (c === 'timestamp' ? 'timestamp - 86400 * 30 + (n * 2591) % (86400 * 30)' : c))
      .join(', ');
    sql(
      db,
      `WITH RECURSIVE n(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM n LIMIT ${copies})
       INSERT INTO oc_activity (${columns.join(', ')}) SELECT ${select} FROM (SELECT * FROM oc_activity WHERE type = 'file_deleted' ORDER BY activity_id), n`,
    );
  }
  return Number(sql(db, 'SELECT count(*) FROM oc_activity'));
}

const stats = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return {
    median: Math.round(s[Math.floor(s.length / 2)]!),
    p90: Math.round(s[Math.floor(s.length * 0.9)]!),
    max: Math.round(s.at(-1)!),
  };
};

async function timeIt(fn: () => Promise<unknown>, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

async function measure(kind: AccountKind, kit: Kit) {
  const proxy = await CountingProxy.start(kit.url);
  const auth = `Basic ${Buffer.from(`${kit.user}:${kit.password}`).toString('base64')}`;
  const trashPath =
    kind === 'nextcloud' ? `/remote.php/dav/trashbin/${kit.user}/trash` : `/remote.php/dav/trash-bin/${kit.user}/`;
  const floor = () => fetch(`${kit.url}/status.php`).then((r) => r.arrayBuffer());
  let listingBytes = 0;
  const listing = () =>
    fetch(`${kit.url}${trashPath}`, { method: 'PROPFIND', headers: { Authorization: auth, Depth: '1' } }).then(
      async (r) => {
        listingBytes = (await r.arrayBuffer()).byteLength;
      },
    );
  try {
    const services = createMemoryServices();
    const account = await services.accounts.add({
      serverUrl: proxy.address,
      kind,
      user: kit.user,
      secret: kit.password,
      label: 'bench',
    });
    const quiet = async () => {
      const times: number[] = [];
      const wire: { requests: number; bytes: number }[] = [];
      for (let i = 0; i < CHECKS; i++) {
        proxy.reset();
        const t = performance.now();
        const r = await services.watch.check(account.id);
        times.push(performance.now() - t);
        if (r.read !== 'none') throw new Error(`${kind}: a quiet check read the trash (${r.read})`);
        wire.push({ requests: proxy.requests, bytes: proxy.up + proxy.down });
      }
      return {
        ms: stats(times),
        requests: Math.max(...wire.map((w) => w.requests)),
        bytes: Math.max(...wire.map((w) => w.bytes)),
      };
    };
    await services.watch.check(account.id); // learns where the feed is
    const activityBefore = Number(sql(`${kit.workdir}/data/owncloud.db`, 'SELECT count(*) FROM oc_activity'));
    const before = await quiet();
    const activityAfter = fillActivity(kit.workdir, ACTIVITY_ROWS);
    await services.watch.check(account.id); // the copies are news once (older dates, new ids)
    await services.watch.check(account.id);
    const after = await quiet();
    return {
      kind,
      trashItems: Number(sql(`${kit.workdir}/data/owncloud.db`, 'SELECT count(*) FROM oc_files_trash')),
      floorMs: stats(await timeIt(floor, CHECKS)),
      quietCheck: { activityRows: activityBefore, ...before },
      quietCheckFilled: { activityRows: activityAfter, ...after },
      trashPropfind: { ms: stats(await timeIt(listing, 5)), bytes: listingBytes },
    };
  } finally {
    await proxy.close();
  }
}

for (const [kind, env] of [
  ['nextcloud', process.env.SALVAGE_WATCH_REAL_NEXTCLOUD],
  ['owncloud10', process.env.SALVAGE_WATCH_REAL_OWNCLOUD],
] as const) {
  if (!env) {
    process.stderr.write(
      `${kind}: skipped (no SALVAGE_WATCH_REAL_${kind === 'nextcloud' ? 'NEXTCLOUD' : 'OWNCLOUD'})\n`,
    );
    continue;
  }
  console.log(JSON.stringify(await measure(kind, JSON.parse(env) as Kit)));
}
