import { spawn } from 'node:child_process';
import { sleep } from '../../base/async';
import { isAppError, toErrorValue } from '../../base/errors';
import { detectEvents, eventId, eventSummary, type DeletionEvent } from '../../../shared/events';
import { folderLabel } from '../../../shared/location';
import type { AccountView } from '../../../shared/model';
import { accountShort, type WatchAlert } from '../../../shared/watch';
import { str, UsageError, type Args } from './args';
import { signIn, type Context } from './context';
import { lossSummary, sameSecondOf } from './losses';
import { cap, MESSAGE_MAX } from './output';

/**
 * `salvage watch` and `salvage events`: deletion events for scripts, cron and monitoring.
 *
 * watch: checks the trash every --interval seconds (default 300) with the server's cheapest request
 * (services/watch.ts) and prints one JSON line per deletion event found after it started (and per
 * expiry warning, once a day), or with --exec runs that command for each, the event as JSON on its
 * stdin and in SALVAGE_EVENT (its fields also as SALVAGE_EVENT_ID, _COUNT, _FOLDER, _FROM, _TO,
 * _SUMMARY, _ACCOUNT, _SERVER, _USER; never the password). SIGINT or SIGTERM stops it cleanly
 * (after the check in progress, if any), exit 0.
 *
 * events: the bursts in the trash now; --since <ISO time | 30m | 2h | 1d> keeps those that went
 * on until then or later; --fail-on-event exits 3 when one is found (for cron and monitoring).
 */

export const DEFAULT_INTERVAL_S = 300;
/** Exit code of `events --fail-on-event` when an event was found. */
export const EXIT_EVENT_FOUND = 3;

/** An event named as the command line names it: by the account's label (stable from run to run), not this run's id. */
function named(e: DeletionEvent, label: string): DeletionEvent {
  return { ...e, accounts: [label], id: eventId(e.from, e.to, [label]) };
}

/** "2026-11-24T14:02:00Z", "30m", "2h", "1d", "90s" → ms since the epoch. */
export function parseSince(value: string, now = Date.now()): number {
  const rel = /^(\d+)\s*(s|m|h|d)$/i.exec(value.trim());
  if (rel)
    return (
      now -
      Number(rel[1]) *
        { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[rel[2]!.toLowerCase() as 's' | 'm' | 'h' | 'd']
    );
  const t = Date.parse(value);
  if (Number.isNaN(t))
    throw new UsageError(
      '--since must be a date and time (ISO 8601, e.g. 2026-11-24T14:02:00Z) or a duration back from now (30m, 2h, 1d).',
    );
  return t;
}

export async function events(ctx: Context, args: Args): Promise<number> {
  const { services, out, json } = ctx;
  const sinceFlag = str(args.flags, 'since');
  const since = sinceFlag === undefined ? null : parseSince(sinceFlag);
  const failOnEvent = args.flags.has('fail-on-event');
  const { account } = await signIn(ctx, args);
  const items = await services.trash.readAll(account.id, null);
  const found = detectEvents(items)
    .map((e) => named(e, account.label))
    .filter((e) => since === null || Date.parse(e.to) >= since);
  const byKey = new Map(items.map((i) => [i.key, i]));
  // Counted apart: entries that stand for several same-named files deleted in one second (the
  // server's records read once for every event, then split by event).
  const all = await sameSecondOf(
    ctx,
    account.id,
    found.flatMap((e) => e.keys.flatMap((k) => byKey.get(k) ?? [])),
  );
  for (const e of found) {
    const { id, from, to, count, bytes, accounts, topFolder } = e;
    const keys = new Set(e.keys);
    const losses = all ? { ...all, losses: all.losses.filter((l) => l.itemKey !== null && keys.has(l.itemKey)) } : null;
    const lostCopies = losses ? losses.losses.reduce((n, l) => n + l.lost.length, 0) : null;
    await (json
      ? out.json({ id, from, to, count, bytes, accounts, topFolder, lostCopies })
      : out.line(`${e.id}  ${e.from}  ${e.to}  ${eventSummary(e, (label) => label)}${lossSummary(losses)}`));
  }
  if (!json) {
    const when = since === null ? '' : ` since ${new Date(since).toISOString()}`;
    await out.line(
      found.length
        ? `${found.length} event${found.length === 1 ? '' : 's'}${when} in ${items.length.toLocaleString('en-US')} items. Restore exactly one with: salvage restore --event <id>`
        : `No bursts of deletions${when} in ${items.length.toLocaleString('en-US')} items.`,
    );
  }
  return failOnEvent && found.length > 0 ? EXIT_EVENT_FOUND : 0;
}

/** One alert as the watch prints it (and hands to --exec). */
function alertRecord(
  alert: WatchAlert,
  account: AccountView,
  server: string,
  user: string | null,
): Record<string, unknown> {
  const base = {
    kind: alert.kind,
    account: account.label,
    server,
    user,
    foundAt: alert.at,
    summary: `${alert.title} — ${alert.body}`,
  };
  if (alert.kind === 'expiring' || !alert.event)
    return { ...base, count: alert.expiring?.count ?? 0, before: alert.expiring?.before ?? null };
  const e = alert.event;
  return {
    ...base,
    id: eventId(e.from, e.to, [account.label]),
    from: e.from,
    to: e.to,
    count: e.count,
    bytes: e.bytes,
    topFolder: e.topFolder,
    folder: e.topFolder ? folderLabel(e.topFolder) : '',
  };
}

/** SIGINT/SIGTERM as an abort signal, for as long as the watch runs. */
function stopOnSignals(): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: controller.signal,
    release: () => {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
    },
  };
}

/**
 * Runs `command` through the shell with the record on stdin and in the environment (without the secrets); resolves with
 * its exit code.
 */
function runFor(command: string, record: Record<string, unknown>, env: NodeJS.ProcessEnv): Promise<number> {
  const text = JSON.stringify(record);
  const { SALVAGE_PASSWORD: _p, SALVAGE_TOKEN: _t, ...rest } = env;
  const vars: Record<string, string> = { SALVAGE_EVENT: text };
  for (const [k, v] of Object.entries({
    ID: record.id,
    KIND: record.kind,
    COUNT: record.count,
    FOLDER: record.folder,
    FROM: record.from,
    TO: record.to,
    SUMMARY: record.summary,
    ACCOUNT: record.account,
    SERVER: record.server,
    USER: record.user,
  })) {
    if (v !== undefined && v !== null) vars[`SALVAGE_EVENT_${k}`] = String(v);
  }
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, stdio: ['pipe', 'inherit', 'inherit'], env: { ...rest, ...vars } });
    child.on('error', () => resolve(127));
    child.on('close', (code) => resolve(code ?? 1));
    child.stdin.on('error', () => undefined); // a command that does not read its input
    child.stdin.end(`${text}\n`);
  });
}

export async function watch(ctx: Context, args: Args): Promise<number> {
  const { services, err } = ctx;
  const intervalFlag = str(args.flags, 'interval');
  const interval = intervalFlag === undefined ? DEFAULT_INTERVAL_S : Number(intervalFlag);
  if (!Number.isFinite(interval) || interval < 1 || interval > 86_400)
    throw new UsageError('--interval is in seconds, from 1 to 86400.');
  const exec = str(args.flags, 'exec');
  if (exec !== undefined && exec.trim() === '') throw new UsageError('--exec needs a command.');
  const { account, target } = await signIn(ctx, args);
  const { signal, release } = stopOnSignals();
  let failures = 0;
  try {
    const first = await services.watch.check(account.id);
    const how = services.watch.view().accounts.find((a) => a.accountId === account.id)?.via ?? 'listing';
    await err.line(
      `salvage: watching ${accountShort(account)} (${account.label}) every ${interval} s by ${how}; Ctrl+C stops.`,
    );
    const report = async (alerts: WatchAlert[]) => {
      for (const alert of alerts) {
        const record = alertRecord(alert, account, target.server, target.user);
        if (exec === undefined) await ctx.out.json(record);
        else {
          const code = await runFor(exec, record, ctx.env);
          if (code !== 0)
            await err.line(
              `salvage: the --exec command exited ${code} for ${cap(String(record.summary), MESSAGE_MAX)}`,
            );
        }
      }
    };
    await report(first.alerts);
    while (!signal.aborted) {
      try {
        await sleep(interval * 1000, signal);
      } catch {
        break; // stopped while waiting
      }
      try {
        const r = await services.watch.check(account.id);
        failures = 0;
        await report(r.alerts);
      } catch (e) {
        // A server that is down for a while does not end the watch; a refused sign-in does.
        if (isAppError(e) && e.code === 'AUTH_FAILED') throw e;
        failures++;
        const v = toErrorValue(e);
        await err.line(
          `salvage: this check failed (${failures} in a row), trying again in ${interval} s: ${cap(v.message, MESSAGE_MAX)} (${v.code})`,
        );
      }
    }
    await err.line('salvage: stopped watching.');
    return 0;
  } finally {
    release();
  }
}
