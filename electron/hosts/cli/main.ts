import { AppError, isAppError, toErrorValue } from '../../base/errors';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultDataDir } from '../../persistence/data-dir';
import { FileLedgerStore } from '../../persistence/ledger-store';
import { createMemoryServices } from '../../services/index';
import { defaultHttpOptions, setRequestTimeout } from '../../net/http';
import { onSlowRequest, slowText } from '../../net/waiting';
import type { AccountView, OperationView, Resolution, SameSecondReport, TrashItem } from '../../../shared/model';
import { itemKey } from '../../../shared/model';
import { KIND_IDS } from '../../../shared/kinds';
import { detectEvents, eventId, itemsDeletedIn } from '../../../shared/events';
import { parseArgs, str, UsageError, type Args } from './args';
import { CliJournal, defaultCliDataDir, type CliBatchMeta } from './batches';
import { signIn, type Context, type Target } from './context';
import { cap, itemLine, MESSAGE_MAX, Out } from './output';
import { resume } from './resume';
import { finish, report, runBatch } from './run-batch';
import { installSafetyNet, isCrashing, setActive } from './safety';
import { sameSecondOf } from './losses';
import { events, watch } from './watch';

export { parseArgs, UsageError } from './args';
export { Out } from './output';

/**
 * The command line: the same services the app runs (accounts, trash, operations runner), over
 * in-memory stores. Secrets come only from the environment (SALVAGE_PASSWORD or SALVAGE_TOKEN),
 * never from argv. Exit codes: 0 ok, 1 some items failed (or the server failed), 2 usage or
 * authentication error. With --json every item is one JSON object on its own line. Restores,
 * deletions and emptying are journaled ahead of the work in the data folder (batches.ts), so
 * `salvage resume` finishes one that was killed.
 */

export const USAGE = `Usage: salvage <command> [options]

Commands:
  detect <url>                       What kind of server answers at <url>
  list [--parent <id>]               List the trash (or a trashed folder's contents)
  restore <id>... [--to <folder>] [--on-conflict replace|keep-both|skip] [--recreate-folders]
                                     Restore items (default: to where they were; conflicts are skipped;
                                     --recreate-folders makes original folders that no longer exist)
  restore --deleted-from <ISO> --deleted-to <ISO> [--folder <original folder>] [--on-conflict …]
                                     Restore everything deleted in that time range (ends included),
                                     optionally only from below that original folder; trashed folders
                                     come back before what was deleted from inside them
  restore --event <id> [--on-conflict …]
                                     Restore exactly the items of one event (its id as \`events\` prints it)
  restore … --move-to-listed          Where the server put an item elsewhere than its records say it
                                     belongs (same-named files deleted in one second), move it there
  events [--since <time>] [--fail-on-event]
                                     Bursts of deletions found in the trash (see shared/events.ts);
                                     --since: only those going on at or after <time> (ISO 8601, or
                                     30m, 2h, 1d back from now); --fail-on-event: exit 3 when one is found
  watch [--interval <s>] [--exec <command>]
                                     Check the trash every <s> seconds (default 300) with the server's
                                     cheapest request; print one JSON line per deletion event found
                                     (and per expiry warning, once a day), or run <command> for each
                                     with the event as JSON on stdin and in SALVAGE_EVENT*. Ctrl+C or
                                     SIGTERM stops it
  delete <id>...                     Delete items from the trash for good
                                     (restore and delete take --parent <id> for items inside a trashed
                                     folder, as listed by list --parent; WebDAV ids say it themselves)
  empty --yes                        Empty the whole trash
  folders [<path>]                   List folders (for --to)
  resume [<batch>]                   List restores, deletions and emptyings that stopped before the end
                                     (killed, crashed, Ctrl+C); with a batch id, finish what it left

Options:
  --server <url>    Server address (required except for detect and resume)
  --user <name>     User name (ownCloud, Nextcloud; oCIS with an app token)
  --kind <kind>     ${KIND_IDS.join(' | ')} (detected when left out)
  --json            One JSON object per line
  --timeout <s>     How long to wait for the server's answer to each request (default 30)
  --data-dir <dir>  Where batches are journaled for resume (default: $XDG_DATA_HOME/salvage,
                    else ~/.local/share/salvage), and Salvage's record of the items it moved back
                    to the trash (Undo, Replace): they list with their old deletion time, as in the
                    window (default: the desktop app's record when it has one)
  --help

Environment:
  SALVAGE_PASSWORD  App password (ownCloud, Nextcloud)
  SALVAGE_TOKEN     API key (DocSpace), or oCIS access token (sent as Bearer when --user is left out);
                    used when SALVAGE_PASSWORD is not set
  SALVAGE_DATA_DIR  The data folder, when --data-dir is left out

Exit codes: 0 ok, 1 some items failed (or the command stopped before the end), 2 usage or sign-in error,
3 events --fail-on-event found an event.`;

/** The account part of a batch's journal. */
const batchAccount = (target: Target): CliBatchMeta['account'] => ({
  server: target.server,
  kind: target.kind,
  user: target.user,
});

/** A trash item as a batch journal names it. */
const journalItem = (i: TrashItem): CliBatchMeta['items'][number] => ({
  id: i.id,
  parentId: i.parentId,
  name: i.name,
  kind: i.kind,
  originalFolder: i.originalFolder,
  originalFolderId: i.originalFolderId,
});

/** The items of a batch for its journal: those found in the trash with where they were, the others by id. */
async function journalItems(
  ctx: Context,
  refs: { accountId: string; id: string; parentId?: string }[],
): Promise<CliBatchMeta['items']> {
  const { found } = await ctx.services.trash.resolve(refs);
  const byId = new Map(found.map((i) => [i.id, i]));
  return refs.map((r) => {
    const i = byId.get(r.id);
    return i
      ? journalItem(i)
      : {
          id: r.id,
          parentId: r.parentId ?? null,
          name: r.id,
          kind: null,
          originalFolder: null,
          originalFolderId: null,
        };
  });
}

async function run(ctx: Context, args: Args, dataDir: string | null): Promise<number> {
  const { services, out, json } = ctx;
  switch (args.command) {
    case 'detect': {
      const url = args.positional[0] ?? str(args.flags, 'server');
      if (!url) throw new UsageError('detect needs a server address.');
      const probe = await services.accounts.detect(url);
      if (json) await out.json(probe);
      else {
        await out.line(
          `${probe.productName} ${probe.version ?? ''} (${probe.kind}) at ${probe.serverUrl}`.replace(/\s+\(/, ' ('),
        );
        await out.line(
          `sign in with: ${probe.auth}; trash supported: ${probe.trashSupported ? 'yes' : 'no'}${probe.insecureHttp ? '; WARNING: plain http' : ''}`,
        );
      }
      return 0;
    }
    case 'list': {
      const { account } = await signIn(ctx, args);
      const parent = str(args.flags, 'parent') ?? null;
      // Streamed: each item is written as it is read, and nothing is kept (a million items in bounded memory).
      let count = 0;
      await services.trash.each(account.id, parent, async (items) => {
        for (const item of items) await (json ? out.json(item) : out.line(itemLine(item)));
        count += items.length;
      });
      if (!json)
        await out.line(
          `${count.toLocaleString('en-US')} item${count === 1 ? '' : 's'} in the trash of ${account.label}.`,
        );
      return 0;
    }
    case 'events':
      return events(ctx, args);
    case 'watch':
      return watch(ctx, args);
    case 'restore': {
      const range = rangeOf(args);
      const event = str(args.flags, 'event');
      if (event !== undefined && (range || args.positional.length > 0 || args.flags.has('folder')))
        throw new UsageError('--event goes alone: not with item ids, --deleted-from/--deleted-to or --folder.');
      if (range && args.positional.length > 0)
        throw new UsageError('Give either item ids or --deleted-from/--deleted-to, not both.');
      if (!range && args.flags.has('folder')) throw new UsageError('--folder goes with --deleted-from/--deleted-to.');
      if (!range && event === undefined && args.positional.length === 0)
        throw new UsageError(
          'restore needs at least one item id (see `salvage list`), --event or --deleted-from/--deleted-to.',
        );
      const policy = (str(args.flags, 'on-conflict') ?? 'skip') as Resolution;
      if (!['replace', 'keep-both', 'skip'].includes(policy))
        throw new UsageError('--on-conflict must be replace, keep-both or skip.');
      const { account, target } = await signIn(ctx, args);
      const to = str(args.flags, 'to');
      let items = refsOf(args, account.id);
      let journaled: CliBatchMeta['items'];
      if (range) {
        const chosen = itemsDeletedIn(await services.trash.readAll(account.id, null), range);
        if (chosen.length === 0) {
          if (!json) await out.line('Nothing in the trash was deleted in that range.');
          return 0;
        }
        items = chosen.map((i) => ({ accountId: account.id, id: i.id }));
        journaled = chosen.map(journalItem);
      } else if (event !== undefined) {
        const chosen = await eventItems(ctx, account, event);
        items = chosen.map((i) => ({ accountId: account.id, id: i.id }));
        journaled = chosen.map(journalItem);
      } else journaled = await journalItems(ctx, items);
      // What the server itself had lost among them (same-named files deleted in one second), told after the results.
      const losses = json ? null : await sameSecondOf(ctx, account.id, (await services.trash.resolve(items)).found);
      const destination =
        to === undefined
          ? ({ kind: 'original' } as const)
          : ({ kind: 'folder', accountId: account.id, folderId: to } as const);
      const recreateMissingFolders = args.flags.has('recreate-folders');
      const meta: CliBatchMeta = {
        command: 'restore',
        account: batchAccount(target),
        items: journaled,
        destination,
        policy,
        recreateFolders: recreateMissingFolders,
        resumes: null,
      };
      const resolutions = Object.fromEntries(items.map((i) => [itemKey(i.accountId, i.id), policy]));
      let restore: OperationView | null = null;
      const code = await runBatch(
        ctx,
        meta,
        async () => (restore = await services.ops.restore({ items, destination, resolutions, recreateMissingFolders })),
      );
      await printLosses(ctx, losses);
      return Math.max(code, restore ? await moveToListed(ctx, restore, args.flags.has('move-to-listed')) : 0);
    }
    case 'delete': {
      if (args.positional.length === 0) throw new UsageError('delete needs at least one item id.');
      const { account, target } = await signIn(ctx, args);
      const refs = refsOf(args, account.id);
      const meta: CliBatchMeta = {
        command: 'delete',
        account: batchAccount(target),
        items: await journalItems(ctx, refs),
        destination: { kind: 'original' },
        policy: 'skip',
        recreateFolders: false,
        resumes: null,
      };
      return runBatch(ctx, meta, () => services.ops.remove(refs));
    }
    case 'empty': {
      if (!args.flags.has('yes'))
        throw new UsageError('empty deletes everything in the trash for good; confirm with --yes.');
      const { account, target } = await signIn(ctx, args);
      // Read here (ops.empty takes this listing instead of reading again): the journal names every item.
      // A trash that cannot be read is reported, and nothing is deleted.
      const listed = await services.trash.readAll(account.id, null).catch((e: unknown) => {
        throw isAppError(e)
          ? new AppError(e.code, `The trash could not be read, so nothing was deleted: ${e.message}`, e.details)
          : e;
      });
      const meta: CliBatchMeta = {
        command: 'empty',
        account: batchAccount(target),
        items: listed.map(journalItem),
        destination: { kind: 'original' },
        policy: 'skip',
        recreateFolders: false,
        resumes: null,
      };
      return runBatch(ctx, meta, () => services.ops.empty(account.id));
    }
    case 'folders': {
      const { account } = await signIn(ctx, args);
      const listed = await services.accounts.withProvider(account.id, (p) => p.listFolders(args.positional[0] ?? null));
      if (json) for (const f of listed.children) await out.json(f);
      else {
        await out.line(`${listed.folder.path}${listed.folder.canWrite ? '' : ' (read-only)'}`);
        for (const f of listed.children) await out.line(`  ${f.id}  ${f.name}${f.canWrite ? '' : ' (read-only)'}`);
      }
      return 0;
    }
    case 'resume':
      return resume(ctx, args, dataDir);
    case '':
    case 'help':
      await out.lines(USAGE);
      return args.command === '' ? 2 : 0;
    default:
      throw new UsageError(`Unknown command "${args.command}".`);
  }
}

/** Events as `events` names them: by the account's label, so an id is the same from one run to the next. */
function eventsOf(items: TrashItem[], account: AccountView) {
  return detectEvents(items).map((e) => ({
    ...e,
    accounts: [account.label],
    id: eventId(e.from, e.to, [account.label]),
  }));
}

/**
 * The items of one event, found again by its id in the trash as it is now: exactly the event's
 * items, never a neighbour its times would also take in. A trash that changed since (the event is
 * not found) is said so rather than guessed at.
 */
async function eventItems(ctx: Context, account: AccountView, id: string): Promise<TrashItem[]> {
  const items = await ctx.services.trash.readAll(account.id, null);
  const event = eventsOf(items, account).find((e) => e.id === id);
  if (!event)
    throw new UsageError(
      `No event ${id} in the trash now (it changed since \`salvage events\` listed it, or the id is wrong). Run \`salvage events\` again.`,
    );
  const byKey = new Map(items.map((i) => [i.key, i]));
  return event.keys.flatMap((key) => byKey.get(key) ?? []);
}

/** After a restore: the copies the server itself had lost, each with the one it kept. */
async function printLosses(ctx: Context, report: SameSecondReport | null): Promise<void> {
  const losses = report?.losses ?? [];
  if (losses.length === 0) return;
  const lost = losses.reduce((n, l) => n + l.lost.length, 0);
  const atLeast = losses.some((l) => !l.complete) ? 'at least ' : '';
  await ctx.out.line(
    `The server itself had lost ${atLeast}${lost} ${lost === 1 ? 'copy' : 'copies'} before this restore: same-named files deleted in the same second, of which it kept only the last (the file restored); per file, where the kept one was deleted from and the copies lost:`,
  );
  for (const l of losses) {
    const when = l.deletedAt ? ` ${l.deletedAt.slice(0, 19).replace('T', ' ')} UTC` : '';
    const more = l.complete ? '' : ' (and any others deleted then: the server names no more)';
    await ctx.out.line(
      `  ${l.name}${when}: kept the one from ${l.keptFrom ?? 'an unknown folder'}; lost ${l.lost.join(', ')}${more}`,
    );
  }
}

/**
 * Items the server restored elsewhere than its records say they belong (same-named files deleted in
 * one second): with --move-to-listed they are moved there as a second batch; otherwise says how.
 */
async function moveToListed(ctx: Context, view: OperationView, move: boolean): Promise<number> {
  const done = ctx.services.runner.get(view.id);
  const away = done.results.filter((r) => r.movableTo);
  if (away.length === 0) return 0;
  if (!move) {
    if (!ctx.json) {
      await ctx.out.line(
        `${away.length} item${away.length === 1 ? ' is' : 's are'} back where the server put ${away.length === 1 ? 'it' : 'them'}, not where ${away.length === 1 ? 'it belongs' : 'they belong'} (see the notes). Add --move-to-listed to move such items where they belong.`,
      );
    }
    return 0;
  }
  const moved = await finish(ctx, ctx.services.ops.moveToListed(view.id), 'skip');
  return report(ctx, { ...moved, kind: 'restore' }, null);
}

/** --deleted-from/--deleted-to (ISO 8601; either may be left out) and --folder, or null when neither time is given. */
function rangeOf(args: Args): { from: number | null; to: number | null; folder: string | null } | null {
  const time = (name: string) => {
    const v = str(args.flags, name);
    if (v === undefined) return null;
    const t = Date.parse(v);
    if (Number.isNaN(t))
      throw new UsageError(`--${name} must be a date and time (ISO 8601, e.g. 2026-11-24T14:02:00Z).`);
    return t;
  };
  const from = time('deleted-from');
  const to = time('deleted-to');
  if (from === null && to === null) return null;
  if (from !== null && to !== null && from > to) throw new UsageError('--deleted-from is after --deleted-to.');
  return { from, to, folder: str(args.flags, 'folder') ?? null };
}

/** The items named on the command line; --parent says which trashed folder holds them. */
function refsOf(args: Args, accountId: string) {
  const parentId = str(args.flags, 'parent');
  return args.positional.map((id) => ({ accountId, id, ...(parentId ? { parentId } : {}) }));
}

/**
 * Salvage's record of the items it moved back to the trash (services/ledger.ts), shared with the
 * window: in the data folder given; else the desktop app's when it holds one (the window's moves);
 * else the command line's own data folder.
 */
function ledgerOf(given: string | undefined, cliDir: string, env: NodeJS.ProcessEnv): FileLedgerStore {
  if (given) return new FileLedgerStore(join(given, 'moves.json'));
  const desktop = join(defaultDataDir(process.platform, env), 'moves.json');
  return new FileLedgerStore(existsSync(desktop) ? desktop : join(cliDir, 'moves.json'));
}

/**
 * Runs the command line; resolves with the exit code. A server that keeps it waiting is named on
 * stderr. Nothing ends silently: every error, of the command or of a batch, is said last, on
 * stderr (with --json as one object {"error": {code, message}}).
 */
export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  out = new Out(),
  err = new Out(process.stderr),
): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    await err.line(`salvage: ${(e as Error).message}`);
    await err.line('');
    await err.lines(USAGE);
    return 2;
  }
  if (args.flags.has('help')) {
    await out.lines(USAGE);
    return 0;
  }
  const json = args.flags.has('json');
  const timeout = str(args.flags, 'timeout') ?? env.SALVAGE_TIMEOUT;
  const timeoutBefore = defaultHttpOptions.timeoutMs;
  if (timeout !== undefined) {
    try {
      setRequestTimeout(Number(timeout));
    } catch (e) {
      await err.line(`salvage: ${(e as Error).message}`);
      return 2;
    }
  }
  const stopWatching = json ? () => {} : onSlowRequest((slow) => void err.line(`salvage: ${slowText(slow)}`));
  const dataDir = str(args.flags, 'data-dir') || env.SALVAGE_DATA_DIR || defaultCliDataDir(process.platform, env);
  const journal = new CliJournal(dataDir, (text) => err.lineNow(text));
  const given = str(args.flags, 'data-dir') || env.SALVAGE_DATA_DIR;
  const services = createMemoryServices({
    version: '0.1.0',
    writeAhead: journal,
    ledger: ledgerOf(given, dataDir, env),
  });
  const ctx: Context = { services, out, err, json, env, journal };
  setActive(ctx);
  try {
    const code = await run(ctx, args, dataDir);
    await out.flush();
    return code;
  } catch (e) {
    await out.flush();
    if (e instanceof UsageError) {
      await err.line(`salvage: ${e.message}`);
      return 2;
    }
    const value = toErrorValue(e);
    if (json) await err.json({ error: value });
    else await err.line(`salvage: ${cap(value.message, MESSAGE_MAX)} (${value.code})`);
    return value.code === 'AUTH_FAILED' || value.code === 'INVALID_INPUT' ? 2 : 1;
  } finally {
    setActive(null);
    stopWatching();
    defaultHttpOptions.timeoutMs = timeoutBefore;
  }
}

const isEntry = (() => {
  const entry = process.argv[1];
  if (!entry) return false;
  return /(?:^|[\\/])(?:cli\/main\.ts|cli\.js|salvage(?:\.js)?)$/.test(entry);
})();

if (isEntry || process.env.SALVAGE_CLI_ENTRY === '1') {
  installSafetyNet();
  void main(process.argv.slice(2)).then((code) => {
    if (!isCrashing()) process.exit(code);
  });
}
