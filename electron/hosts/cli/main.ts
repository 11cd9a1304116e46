import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isAppError, toErrorValue } from '../../base/errors';
import { defaultDataDir } from '../../persistence/data-dir';
import { FileLedgerStore } from '../../persistence/ledger-store';
import { createMemoryServices, type Services } from '../../services/index';
import { setRequestTimeout } from '../../net/http';
import { onSlowRequest, slowText } from '../../net/waiting';
import type { AccountKind, AccountView, ItemResult, OperationView, Resolution, TrashItem } from '../../../shared/model';
import { AccountKind as AccountKindSchema, itemKey, parseItemKey } from '../../../shared/model';
import { detectEvents, eventId, eventSummary, itemsDeletedIn } from '../../../shared/events';

/**
 * The command line: the same services the app runs (accounts, trash, operations runner), over
 * in-memory stores. Secrets come only from the environment (SALVAGE_PASSWORD or SALVAGE_TOKEN),
 * never from argv. Exit codes: 0 ok, 1 some items failed (or the server failed), 2 usage or
 * authentication error. With --json every item is one JSON object on its own line.
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
  events                             Bursts of deletions found in the trash (see shared/events.ts)
  delete <id>...                     Delete items from the trash for good
                                     (restore and delete take --parent <id> for items inside a trashed
                                     folder, as listed by list --parent; WebDAV ids say it themselves)
  empty --yes                        Empty the whole trash
  folders [<path>]                   List folders (for --to)

Options:
  --server <url>    Server address (required except for detect)
  --user <name>     User name (ownCloud, Nextcloud; oCIS with an app token)
  --kind <kind>     docspace | owncloud10 | nextcloud | ocis (detected when left out)
  --json            One JSON object per line
  --timeout <s>     How long to wait for the server's answer to each request (default 30)
  --data-dir <dir>  Salvage's data folder, for its record of the items it moved back to the trash
                    (Undo, Replace): they list with their old deletion time, as in the window
                    (default: SALVAGE_DATA_DIR, else the desktop app's folder when it holds one)
  --help

Environment:
  SALVAGE_PASSWORD  App password (ownCloud, Nextcloud)
  SALVAGE_TOKEN     API key (DocSpace), or oCIS access token (sent as Bearer when --user is left out);
                    used when SALVAGE_PASSWORD is not set

Exit codes: 0 ok, 1 some items failed, 2 usage or sign-in error.`;

export class UsageError extends Error {}

interface Args {
  command: string;
  positional: string[];
  flags: Map<string, string | true>;
}

const VALUE_FLAGS = new Set(['server', 'user', 'kind', 'to', 'on-conflict', 'parent', 'timeout', 'deleted-from', 'deleted-to', 'folder', 'data-dir']);
const BOOL_FLAGS = new Set(['json', 'yes', 'help', 'recreate-folders']);

export function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
      if (name === 'password' || name === 'token' || name === 'secret') {
        throw new UsageError(`Secrets are read from SALVAGE_PASSWORD or SALVAGE_TOKEN only, never from the command line.`);
      }
      if (VALUE_FLAGS.has(name)) {
        const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
        if (value === undefined) throw new UsageError(`--${name} needs a value.`);
        flags.set(name, value);
      } else if (BOOL_FLAGS.has(name)) {
        flags.set(name, true);
      } else {
        throw new UsageError(`Unknown option --${name}.`);
      }
    } else {
      positional.push(arg);
    }
  }
  const [command = '', ...rest] = positional;
  return { command, positional: rest, flags };
}

/** Writes to stdout, waiting for the pipe to drain so big listings all arrive. */
export class Out {
  constructor(private readonly stream: NodeJS.WritableStream = process.stdout) {}
  async line(text: string): Promise<void> {
    if (!this.stream.write(`${text}\n`)) await new Promise<void>((r) => this.stream.once('drain', () => r()));
  }
  async flush(): Promise<void> {
    await new Promise<void>((r) => this.stream.write('', () => r()));
  }
}

const str = (flags: Args['flags'], name: string): string | undefined => {
  const v = flags.get(name);
  return typeof v === 'string' ? v : undefined;
};

const human = {
  size(n: number | null): string {
    if (n === null) return '-';
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let v = n;
    let u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
  },
  item(i: TrashItem): string {
    const where = i.originalFolder.endsWith('/') ? i.originalFolder : `${i.originalFolder}/`;
    return [i.id, i.kind === 'folder' ? 'dir ' : 'file', human.size(i.size).padStart(9), (i.deletedAt ?? '-').slice(0, 19), `${where}${i.name}${human.moved(i)}`].join('  ');
  },
  /** Salvage's own moves (its ledger): an item an Undo put back keeps its old time; a file a Replace moved is no deletion. */
  moved(i: TrashItem): string {
    const m = i.movedBySalvage;
    if (!m) return '';
    if (m.why === 'replace') return `  (moved to the trash by Salvage ${m.at.slice(0, 19)}: replaced by the restored ${m.by ?? 'item'})`;
    return `  (moved back by Salvage ${m.at.slice(0, 19)}${m.trashedAs ? `; the server keeps it as ${m.trashedAs.folder.replace(/\/?$/, '/')}${m.trashedAs.name}` : ''})`;
  },
  result(r: ItemResult): string {
    const tail = r.finalPath ? ` → ${r.finalPath}` : r.error ? `: ${r.error.code} ${r.error.message}` : '';
    return `${r.outcome.padEnd(8)} ${r.name}${tail}`;
  },
};

interface Context {
  services: Services;
  out: Out;
  json: boolean;
  env: NodeJS.ProcessEnv;
}

async function signIn(ctx: Context, args: Args): Promise<AccountView> {
  const server = str(args.flags, 'server');
  if (!server) throw new UsageError('--server is required.');
  const secret = ctx.env.SALVAGE_PASSWORD || ctx.env.SALVAGE_TOKEN;
  if (!secret) throw new UsageError('Set SALVAGE_PASSWORD (app password) or SALVAGE_TOKEN (API key) in the environment.');
  let kind = str(args.flags, 'kind') as AccountKind | undefined;
  if (kind !== undefined && !AccountKindSchema.safeParse(kind).success) throw new UsageError(`Unknown --kind ${kind}.`);
  if (!kind) kind = (await ctx.services.accounts.detect(server)).kind;
  const user = str(args.flags, 'user');
  // oCIS takes SALVAGE_TOKEN without --user as a bearer access token (an OpenID Connect access token).
  const bearer = kind === 'ocis' && !user && !ctx.env.SALVAGE_PASSWORD && Boolean(ctx.env.SALVAGE_TOKEN);
  if (kind !== 'docspace' && !user && !bearer) {
    throw new UsageError(kind === 'ocis' ? '--user is required with SALVAGE_PASSWORD; without --user, set SALVAGE_TOKEN to an access token.' : `--user is required for ${kind} servers.`);
  }
  try {
    return await ctx.services.accounts.add({ serverUrl: server, kind, user, secret, sessionOnly: true });
  } catch (e) {
    // A --kind that does not match the server reads as "not found" or "unexpected answer": say what it is.
    if (!str(args.flags, 'kind') || !isAppError(e) || !['NOT_FOUND', 'BAD_RESPONSE', 'UNSUPPORTED'].includes(e.code)) throw e;
    const probe = await ctx.services.accounts.detect(server).catch(() => null);
    if (!probe || probe.kind === kind) throw e;
    throw new UsageError(`${server} is ${probe.productName} (--kind ${probe.kind}), not ${kind}. Leave out --kind to detect it.`);
  }
}

/** Runs an operation to the end, answering mid-batch questions with the chosen policy. */
async function finish(ctx: Context, view: OperationView, policy: Resolution): Promise<OperationView> {
  const unsubscribe = ctx.services.bus.subscribe((name, payload) => {
    if (name !== 'operation:update') return;
    const op = payload as OperationView;
    if (op.id === view.id && op.state === 'needs-answer' && op.question) {
      try {
        ctx.services.runner.answer(op.id, policy, true);
      } catch {
        /* answered already */
      }
    }
  });
  // Ctrl+C stops after the items in flight (a second one quits at once); report() then says what is left.
  const interrupt = () => {
    process.stderr.write('\nsalvage: stopping after the items in progress (Ctrl+C again to quit at once)…\n');
    ctx.services.runner.cancel(view.id);
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    return await ctx.services.runner.wait(view.id);
  } finally {
    unsubscribe();
    process.removeListener('SIGINT', interrupt);
    process.removeListener('SIGTERM', interrupt);
  }
}

async function report(ctx: Context, view: OperationView): Promise<number> {
  for (const r of view.results) await ctx.out.line(ctx.json ? JSON.stringify(r) : human.result(r));
  const failed = view.results.filter((r) => r.outcome === 'failed' || r.outcome === 'cancelled').length;
  if (!ctx.json) {
    const counts = new Map<string, number>();
    for (const r of view.results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
    await ctx.out.line(`${view.title}: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ') || 'nothing to do'}.`);
    const codes = new Set(view.results.map((r) => r.error?.code));
    if (codes.has('DEST_MISSING')) {
      await ctx.out.line('Some folders they go to do not exist: add --recreate-folders to make missing original folders, or --to <folder> (see `salvage folders`).');
    }
    if (counts.get('skipped') && view.kind === 'restore') {
      await ctx.out.line('Skipped items are still in the trash; --on-conflict replace or keep-both restores them over or beside what is there.');
    }
    const left = view.results.filter((r) => r.outcome === 'failed' || r.outcome === 'cancelled').map((r) => parseItemKey(r.key).id);
    if (left.length && (view.kind === 'restore' || view.kind === 'delete')) {
      const quote = (id: string) => (/^[\w.@:/+-]+$/.test(id) ? id : `'${id.replace(/'/g, `'\\''`)}'`);
      await ctx.out.line(`Not done: ${left.length} item${left.length === 1 ? '' : 's'}. To finish, run the same command with just these ids: salvage ${view.kind} ${left.map(quote).join(' ')} …`);
    }
  }
  if (view.state === 'failed' && view.error) {
    if (view.error.code === 'AUTH_FAILED') throw Object.assign(new Error(view.error.message), { code: 'AUTH_FAILED' });
    return 1;
  }
  return failed > 0 ? 1 : 0;
}

async function run(ctx: Context, args: Args): Promise<number> {
  const { services, out, json } = ctx;
  switch (args.command) {
    case 'detect': {
      const url = args.positional[0] ?? str(args.flags, 'server');
      if (!url) throw new UsageError('detect needs a server address.');
      const probe = await services.accounts.detect(url);
      if (json) await out.line(JSON.stringify(probe));
      else {
        await out.line(`${probe.productName} ${probe.version ?? ''} (${probe.kind}) at ${probe.serverUrl}`.replace(/\s+\(/, ' ('));
        await out.line(`sign in with: ${probe.auth}; trash supported: ${probe.trashSupported ? 'yes' : 'no'}${probe.insecureHttp ? '; WARNING: plain http' : ''}`);
      }
      return 0;
    }
    case 'list': {
      const account = await signIn(ctx, args);
      const parent = str(args.flags, 'parent') ?? null;
      let cursor: string | null = null;
      let count = 0;
      do {
        const page = await services.trash.page(account.id, parent, cursor);
        for (const item of page.items) await out.line(json ? JSON.stringify(item) : human.item(item));
        count += page.items.length;
        cursor = page.cursor;
      } while (cursor);
      if (!json) await out.line(`${count.toLocaleString('en-US')} item${count === 1 ? '' : 's'} in the trash of ${account.label}.`);
      return 0;
    }
    case 'events': {
      const account = await signIn(ctx, args);
      const items = await services.trash.readAll(account.id, null);
      // This process's account id is new on every run: events name the account by its label
      // (user and server), so an event's id is the same from one run to the next.
      const events = detectEvents(items).map((e) => ({ ...e, accounts: [account.label], id: eventId(e.from, e.to, [account.label]) }));
      for (const e of events) {
        const { id, from, to, count, bytes, accounts, topFolder } = e;
        await out.line(json ? JSON.stringify({ id, from, to, count, bytes, accounts, topFolder }) : `${e.from}  ${e.to}  ${eventSummary(e, (label) => label)}`);
      }
      if (!json) {
        await out.line(
          events.length
            ? `${events.length} event${events.length === 1 ? '' : 's'} in ${items.length.toLocaleString('en-US')} items. Restore one with: salvage restore --deleted-from <from> --deleted-to <to>`
            : `No bursts of deletions in ${items.length.toLocaleString('en-US')} items.`,
        );
      }
      return 0;
    }
    case 'restore': {
      const range = rangeOf(args);
      if (range && args.positional.length > 0) throw new UsageError('Give either item ids or --deleted-from/--deleted-to, not both.');
      if (!range && args.flags.has('folder')) throw new UsageError('--folder goes with --deleted-from/--deleted-to.');
      if (!range && args.positional.length === 0) throw new UsageError('restore needs at least one item id (see `salvage list`), or --deleted-from/--deleted-to.');
      const policy = (str(args.flags, 'on-conflict') ?? 'skip') as Resolution;
      if (!['replace', 'keep-both', 'skip'].includes(policy)) throw new UsageError('--on-conflict must be replace, keep-both or skip.');
      const account = await signIn(ctx, args);
      const to = str(args.flags, 'to');
      let items = refsOf(args, account.id);
      if (range) {
        const chosen = itemsDeletedIn(await services.trash.readAll(account.id, null), range);
        if (chosen.length === 0) {
          if (!json) await out.line('Nothing in the trash was deleted in that range.');
          return 0;
        }
        items = chosen.map((i) => ({ accountId: account.id, id: i.id }));
      }
      const resolutions = Object.fromEntries(items.map((i) => [itemKey(i.accountId, i.id), policy]));
      const view = await services.ops.restore({
        items,
        destination: to === undefined ? { kind: 'original' } : { kind: 'folder', accountId: account.id, folderId: to },
        resolutions,
        recreateMissingFolders: args.flags.has('recreate-folders'),
      });
      return report(ctx, await finish(ctx, view, policy));
    }
    case 'delete': {
      if (args.positional.length === 0) throw new UsageError('delete needs at least one item id.');
      const account = await signIn(ctx, args);
      const view = await services.ops.remove(refsOf(args, account.id));
      return report(ctx, await finish(ctx, view, 'skip'));
    }
    case 'empty': {
      if (!args.flags.has('yes')) throw new UsageError('empty deletes everything in the trash for good; confirm with --yes.');
      const account = await signIn(ctx, args);
      const view = await services.ops.empty(account.id);
      return report(ctx, await finish(ctx, view, 'skip'));
    }
    case 'folders': {
      const account = await signIn(ctx, args);
      const listed = await services.accounts.withProvider(account.id, (p) => p.listFolders(args.positional[0] ?? null));
      if (json) for (const f of listed.children) await out.line(JSON.stringify(f));
      else {
        await out.line(`${listed.folder.path}${listed.folder.canWrite ? '' : ' (read-only)'}`);
        for (const f of listed.children) await out.line(`  ${f.id}  ${f.name}${f.canWrite ? '' : ' (read-only)'}`);
      }
      return 0;
    }
    case '':
    case 'help':
      await out.line(USAGE);
      return args.command === '' ? 2 : 0;
    default:
      throw new UsageError(`Unknown command "${args.command}".`);
  }
}

/** --deleted-from/--deleted-to (ISO 8601; either may be left out) and --folder, or null when neither time is given. */
function rangeOf(args: Args): { from: number | null; to: number | null; folder: string | null } | null {
  const time = (name: string) => {
    const v = str(args.flags, name);
    if (v === undefined) return null;
    const t = Date.parse(v);
    if (Number.isNaN(t)) throw new UsageError(`--${name} must be a date and time (ISO 8601, e.g. 2026-11-24T14:02:00Z).`);
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
 * window: in the data folder given, else in the desktop app's when it has one; none otherwise.
 */
function ledgerOf(dataDir: string | undefined, env: NodeJS.ProcessEnv): { ledger?: FileLedgerStore } {
  const file = join(dataDir ?? defaultDataDir(process.platform, env), 'moves.json');
  return dataDir !== undefined || existsSync(file) ? { ledger: new FileLedgerStore(file) } : {};
}

/** Runs the command line; resolves with the exit code. A server that keeps it waiting is named on stderr. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env, out = new Out(), err = new Out(process.stderr)): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    await err.line(`salvage: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.flags.has('help')) {
    await out.line(USAGE);
    return 0;
  }
  const timeout = str(args.flags, 'timeout') ?? env.SALVAGE_TIMEOUT;
  if (timeout !== undefined) {
    try {
      setRequestTimeout(Number(timeout));
    } catch (e) {
      await err.line(`salvage: ${(e as Error).message}`);
      return 2;
    }
  }
  const stopWatching = args.flags.has('json') ? () => {} : onSlowRequest((slow) => void err.line(`salvage: ${slowText(slow)}`));
  const services = createMemoryServices({ version: '0.1.0', ...ledgerOf(str(args.flags, 'data-dir') ?? env.SALVAGE_DATA_DIR, env) });
  const json = args.flags.has('json');
  try {
    const code = await run({ services, out, json, env }, args);
    await out.flush();
    return code;
  } catch (e) {
    await out.flush();
    if (e instanceof UsageError) {
      await err.line(`salvage: ${e.message}`);
      return 2;
    }
    const value = isAppError(e) ? e.toValue() : (e as { code?: string }).code === 'AUTH_FAILED' ? { code: 'AUTH_FAILED' as const, message: (e as Error).message } : toErrorValue(e);
    if (json) await err.line(JSON.stringify({ error: value }));
    else await err.line(`salvage: ${value.message} (${value.code})`);
    return value.code === 'AUTH_FAILED' || value.code === 'INVALID_INPUT' ? 2 : 1;
  } finally {
    stopWatching();
  }
}

const isEntry = (() => {
  const entry = process.argv[1];
  if (!entry) return false;
  return /(?:^|[\\/])(?:cli\/main\.ts|cli\.js|salvage(?:\.js)?)$/.test(entry);
})();

if (isEntry || process.env.SALVAGE_CLI_ENTRY === '1') {
  void main(process.argv.slice(2)).then((code) => {
    process.exit(code);
  });
}
