import { AppError, isAppError, toErrorValue } from '../../base/errors';
import { forEachLimited, sleep } from '../../base/async';
import type { ErrorCode } from '../../../shared/errors';
import type { Conflict, FolderRef, ItemResult, Preview, Resolution, TrashItem } from '../../../shared/model';
import { defaultHttpOptions, httpOptionsForAccount, type HttpOptions } from '../../net/http';
import type { AccountConfig, BatchContext, Credentials, Landed, Replaced, RestoreOptions, RestoreTarget, TrashChangeCheck, TrashProvider, UndoTarget } from '../types';
import { none, readPreviewImage, wantsPreview } from '../preview';
import { selectionClashes } from '../selection';
import { DocSpaceApi, type ApiCall } from './api';
import {
  CONFLICT_RESOLVE,
  FOLDER_TYPE,
  OPERATION,
  canWriteInto,
  folderPathDisplay,
  isFolderDto,
  itemId,
  originDisplay,
  parseItemId,
  replies,
  toFolderRef,
  toTrashItem,
  type AutoCleanupDto,
  type DsId,
  type EntryDto,
  type ItemDto,
} from './dto';
import { followOperation, pickOperation, type OperationEnd } from './operations';
import { checkDocSpaceTrash, readNewest } from './changes';
import { PAGE_CONCURRENCY, PAGE_SIZE, readAllEntries, readPages } from './pages';

/** Items handed to the services per listTrash chunk. */
const CHUNK = 1000;
/** Ids per conflict pre-check request (they travel in the query string). */
const CHECK_BATCH = 100;

export interface DocSpaceProviderOptions {
  http?: HttpOptions;
  /** First poll interval for background operations (grows to maxPollMs). */
  pollMs?: number;
  maxPollMs?: number;
}

type Choice = 'none' | 'replace' | 'keep-both';

/** An item sent to the server in a move, with the answer it goes with. */
interface Sent {
  item: TrashItem;
  choice: Choice;
  conflicted: boolean;
}

/** A destination folder items can go into. */
interface Destination {
  id: string;
  path: string;
}

/** One round planned: what is skipped, what is sent with which answer, and what was in the way. */
interface RoundPlan {
  skipped: TrashItem[];
  sent: Sent[];
  /** The destination's entries by titleKey, read when something was in the way (what a Replace overwrites). */
  before: Map<string, EntryDto[]>;
}

/** The destination and the moves' ends after a round: what each item's report is read from. */
interface AfterMoves {
  destPath: string;
  /** The destination's entries now, by itemId, and their titleKeys. */
  byId: Map<string, EntryDto>;
  titles: Set<string>;
  before: Map<string, EntryDto[]>;
  cancelled: boolean;
  /** The first error an operation reported (DocSpace keeps only the last one of each). */
  opError: string | null;
}

/** An item's report: its result and, for a restore that landed, what undo needs. */
type Report = [ItemResult, { bytes?: number | null; landed?: Landed }?];

const never = new AbortController().signal;
/** Failures after which a write may have happened on the server all the same. */
const LOST_ANSWER: ReadonlySet<string> = new Set(['NETWORK', 'TIMEOUT', 'BAD_RESPONSE']);
const encodeId = (id: DsId) => encodeURIComponent(String(id));
const fail = (item: TrashItem, code: ErrorCode, message: string): ItemResult => ({
  key: item.key,
  name: item.name,
  outcome: 'failed',
  finalPath: null,
  error: { code, message },
});
const joinPath = (folder: string, name: string) => (folder ? `${folder} / ${name}` : name);

/**
 * Full display paths of origin folders (GET files/folder/{id}/path), each read once: the first
 * asker starts the request, later ones wait for it. A folder that is gone, in the trash or not
 * readable has none (the entry's own origin fields stand in).
 */
class OriginPaths {
  private readonly known = new Map<string, Promise<string | null>>();
  constructor(private readonly api: DocSpaceApi) {}

  async read(ids: readonly string[], signal?: AbortSignal): Promise<ReadonlyMap<string, string>> {
    const wanted = [...new Set(ids)];
    const fresh = wanted.filter((id) => !this.known.has(id));
    await forEachLimited(fresh, PAGE_CONCURRENCY, signal ?? new AbortController().signal, async (id) => {
      const p = this.api.call({ method: 'GET', path: `files/folder/${encodeURIComponent(id)}/path`, signal }, replies.folderPath).then(folderPathDisplay, (e: unknown) => {
        if (isAppError(e) && (e.code === 'CANCELLED' || e.code === 'AUTH_FAILED')) {
          this.known.delete(id);
          throw e;
        }
        return null;
      });
      this.known.set(id, p);
      await p;
    });
    const out = new Map<string, string>();
    for (const id of wanted) {
      const path = await this.known.get(id);
      if (path) out.set(id, path);
    }
    return out;
  }
}

/**
 * ONLYOFFICE DocSpace over its REST API with a personal API key. Moves and deletions are the
 * server's background operations (fileops): Salvage starts one per destination and resolution,
 * follows it with real progress, and afterwards reads the trash and the destination again to
 * report what really happened to each item (Skip leaves items in the trash silently; same-named
 * folders are merged).
 */
export class DocSpaceProvider implements TrashProvider {
  readonly kind = 'docspace' as const;
  private readonly api: DocSpaceApi;
  private readonly accountId: string;
  private roomsRootId: string | null = null;
  private readonly pollMs: number;
  private readonly maxPollMs: number;

  constructor(account: AccountConfig, credentials: Credentials, options: DocSpaceProviderOptions = {}) {
    this.accountId = account.id;
    this.api = new DocSpaceApi(account.serverUrl, credentials.secret.trim(), options.http ?? httpOptionsForAccount(account, defaultHttpOptions));
    this.pollMs = options.pollMs ?? 200;
    this.maxPollMs = options.maxPollMs ?? 1000;
  }

  async checkConnection(signal?: AbortSignal): Promise<{ userName: string; userId: string }> {
    const me = await this.api.call({ method: 'GET', path: 'people/@self', signal }, replies.self);
    return { userId: me.id, userName: me.displayName?.trim() || me.userName || me.email || me.id };
  }

  /** The per-user auto-cleanup policy (GET files/settings/autocleanup); null when unreadable. */
  async autoCleanup(signal?: AbortSignal): Promise<AutoCleanupDto | null> {
    try {
      return await this.api.call({ method: 'GET', path: 'files/settings/autocleanup', signal }, replies.autoCleanup);
    } catch (e) {
      if (isAppError(e) && (e.code === 'CANCELLED' || e.code === 'AUTH_FAILED')) throw e;
      return null;
    }
  }

  async *listTrash(parentId: string | null, signal?: AbortSignal): AsyncIterable<{ items: TrashItem[]; total?: number }> {
    let path = 'files/@trash';
    if (parentId !== null) {
      const parsed = parseItemId(parentId);
      if (parsed.kind !== 'folder') throw new AppError('INVALID_INPUT', 'Only trashed folders can be opened.');
      path = `files/${encodeId(parsed.dsId)}`;
    }
    // Read alongside the first page; the listing itself reports auth and network failures.
    const policy = parentId === null ? this.autoCleanup(signal).catch(() => null) : Promise.resolve(null);
    let buffer: TrashItem[] = [];
    let first = true;
    let parentPath: string | null = null;
    // Each origin folder's full path, read once per listing (one request per distinct folder, not per item).
    const paths = new OriginPaths(this.api);
    for await (const page of readPages(this.api, path, {}, signal)) {
      if (first && parentId !== null) parentPath = await this.browsedPath(page.content.current ?? null, paths, signal);
      const origins = parentId === null ? page.entries.flatMap((e) => (e.originId === undefined || e.originId === null ? [] : [String(e.originId)])) : [];
      const ctx = { accountId: this.accountId, policy: await policy, parentId, parentPath, originPaths: await paths.read(origins, signal) };
      for (const e of page.entries) buffer.push(toTrashItem(e, ctx));
      if (first || buffer.length >= CHUNK) {
        yield first ? { items: buffer, total: page.total } : { items: buffer };
        buffer = [];
        first = false;
      }
    }
    if (buffer.length > 0) yield { items: buffer };
  }

  /** The watch's cheap check: the trash's total and newest entry in one small page (changes.ts). */
  checkTrashChanges(since: string | null, signal?: AbortSignal): Promise<TrashChangeCheck> {
    return checkDocSpaceTrash(this.api, since, signal);
  }

  /** The top-level items deleted at or after `after`, newest first, a page or two instead of the whole trash (changes.ts). */
  async *listTrashNewest(after: string, signal?: AbortSignal): AsyncIterable<{ items: TrashItem[] }> {
    const policy = await this.autoCleanup(signal).catch(() => null);
    const paths = new OriginPaths(this.api);
    for await (const entries of readNewest(this.api, Date.parse(after), signal)) {
      const origins = entries.flatMap((e) => (e.originId === undefined || e.originId === null ? [] : [String(e.originId)]));
      const ctx = { accountId: this.accountId, policy, parentId: null, parentPath: null, originPaths: await paths.read(origins, signal) };
      yield { items: entries.map((e) => toTrashItem(e, ctx)) };
    }
  }

  /**
   * Where the items of a browsed trashed folder came from: the full original path of the trashed
   * folder at the top (its breadcrumbs run Trash / top / … / this folder; the top's own entry names
   * its origin), then the folders down to this one. The folder's own name when that cannot be read.
   */
  private async browsedPath(current: ItemDto | null, paths: OriginPaths, signal?: AbortSignal): Promise<string | null> {
    if (!current) return null;
    try {
      const crumbs = await this.api.call({ method: 'GET', path: `files/folder/${encodeId(current.id)}/path`, signal }, replies.folderPath);
      const inTrash = crumbs.findIndex((c) => c.type === FOLDER_TYPE.TRASH);
      const below = inTrash === -1 ? crumbs : crumbs.slice(inTrash + 1);
      const top = below[0];
      if (!top) return current.title;
      const topEntry = await this.api.call({ method: 'GET', path: `files/folder/${encodeId(top.id)}`, signal }, replies.folder);
      const originId = topEntry.originId === undefined || topEntry.originId === null ? null : String(topEntry.originId);
      const origin = originId ? ((await paths.read([originId], signal)).get(originId) ?? originDisplay(topEntry)) : originDisplay(topEntry);
      return [origin, ...below.map((c) => c.title)].filter((x) => x).join(' / ');
    } catch (e) {
      if (isAppError(e) && (e.code === 'CANCELLED' || e.code === 'AUTH_FAILED')) throw e;
      return current.title;
    }
  }

  /** DocSpace ids ("file:123") do not say which trashed folder holds them. */
  parentOf(): string | null {
    return null;
  }

  async listFolders(parentId: string | null, signal?: AbortSignal): Promise<{ folder: FolderRef; children: FolderRef[]; breadcrumbs: FolderRef[] }> {
    if (parentId === null || parentId === '') return this.rootFolders(signal);
    const isRooms = parentId === this.roomsRootId;
    const [listing, breadcrumbs] = await Promise.all([
      readAllEntries(this.api, isRooms ? 'files/rooms' : `files/${encodeURIComponent(parentId)}`, isRooms ? {} : { filterType: 2 }, signal),
      this.breadcrumbs(parentId, signal),
    ]);
    const current = listing.current;
    if (!current) throw new AppError('BAD_RESPONSE', 'DocSpace did not describe the folder it listed.');
    if (current.type === FOLDER_TYPE.VirtualRooms) this.roomsRootId = String(current.id);
    const path = breadcrumbs.map((b) => b.name).join(' / ') || current.title;
    const folder = toFolderRef(current, this.accountId, path);
    const children = listing.entries.filter(isFolderDto).map((e) => toFolderRef(e, this.accountId, joinPath(path, e.title)));
    return { folder, children, breadcrumbs: breadcrumbs.length ? breadcrumbs : [folder] };
  }

  async createFolder(parentId: string, name: string, signal?: AbortSignal): Promise<FolderRef> {
    const title = name.trim();
    if (!title) throw new AppError('INVALID_INPUT', 'A folder needs a name.');
    const entry = await this.api.call({ method: 'POST', path: `files/folder/${encodeURIComponent(parentId)}`, body: { title }, signal }, replies.newFolder);
    const crumbs = await this.breadcrumbs(String(entry.id), signal).catch(() => []);
    const path = crumbs.map((b) => b.name).join(' / ') || title;
    return toFolderRef(entry, this.accountId, path);
  }

  async findConflicts(items: TrashItem[], target: RestoreTarget, signal?: AbortSignal): Promise<{ conflicts: Conflict[]; missingFolders: string[] }> {
    const { groups, orphans } = this.groupByDestination(items, target);
    const conflicts: Conflict[] = [];
    const missing = new Set<string>();
    for (const item of orphans) missing.add(item.originalFolder || `the original folder of "${item.name}"`);
    for (const [destId, group] of groups) {
      const dest = await this.destination(destId, signal);
      if (!dest) {
        missing.add(target.kind === 'original' ? group[0]!.originalFolder || `folder ${destId}` : `folder ${destId}`);
        continue;
      }
      if (!canWriteInto(dest.entry)) throw new AppError('FORBIDDEN', `You cannot add items to "${dest.path}". Choose another folder.`);
      const conflicting = await this.preCheck(destId, group, signal);
      const existing = conflicting.size ? await this.entriesByTitle(destId, signal) : new Map<string, EntryDto[]>();
      for (const item of group) {
        if (conflicting.has(item.id)) conflicts.push(this.conflictFor(item, dest.path, existing));
      }
      // Two selected items with the same title and kind bound for this folder (DocSpace lets a file and a folder share a title).
      const asked = new Set(conflicts.map((c) => c.itemKey));
      conflicts.push(...selectionClashes(group, (item) => ({ key: titleKey(item), targetPath: joinPath(dest.path, item.name) }), asked));
    }
    return { conflicts, missingFolders: [...missing] };
  }

  /**
   * Restores in steps: items are grouped by destination folder; for each usable folder, rounds of
   * differently-titled items are planned (pre-check, ask), executed (one background move per
   * answer) and reported (from what the trash and the folder hold afterwards).
   */
  async restore(items: TrashItem[], target: RestoreTarget, _options: RestoreOptions, ctx: BatchContext): Promise<void> {
    const { groups, orphans } = this.groupByDestination(items, target);
    const progress = new Progress(items.length, ctx);
    for (const item of orphans) ctx.itemDone(fail(item, 'DEST_MISSING', 'The folder it was deleted from no longer exists. Restore it to a folder you choose.'));
    progress.settle(orphans.length);
    for (const [destId, group] of groups) {
      if (ctx.signal.aborted) return;
      const dest = await this.usableDestination(destId, group, target, ctx);
      if (!dest) {
        progress.settle(group.length);
        continue;
      }
      // Same-titled items of one selection go in rounds (the first of each title, then the next), so
      // a later one meets the earlier one as an ordinary conflict and gets the answer chosen for it.
      for (const round of rounds(group)) {
        if (ctx.signal.aborted) return;
        if (await this.restoreRound(dest, round, progress, ctx)) return;
      }
    }
  }

  /** The destination folder when the group can go there; otherwise every item of the group fails, saying why. */
  private async usableDestination(destId: string, group: TrashItem[], target: RestoreTarget, ctx: BatchContext): Promise<Destination | null> {
    const dest = await this.destination(destId, ctx.signal);
    if (!dest) {
      for (const item of group) {
        const where = target.kind === 'original' && item.originalFolder ? `"${item.originalFolder}"` : 'The destination folder';
        ctx.itemDone(fail(item, 'DEST_MISSING', `${where} no longer exists or is in the trash. Restore it to another folder.`));
      }
      return null;
    }
    if (!canWriteInto(dest.entry)) {
      for (const item of group) ctx.itemDone(fail(item, 'FORBIDDEN', `You cannot add items to "${dest.path}".`));
      return null;
    }
    return { id: destId, path: dest.path };
  }

  /** One round into one folder: plan, execute, report. True when cancelled. */
  private async restoreRound(dest: Destination, round: TrashItem[], progress: Progress, ctx: BatchContext): Promise<boolean> {
    const plan = await this.planRound(dest, round, ctx);
    if (!plan) return true;
    for (const item of plan.skipped) ctx.itemDone({ key: item.key, name: item.name, outcome: 'skipped', finalPath: null, error: null });
    progress.settle(plan.skipped.length);
    if (plan.sent.length === 0) return false;
    const ends = await this.executeRound(dest, plan.sent, progress, ctx);
    await this.reportRestores(plan.sent, dest, ends, plan.before, ctx);
    return ends.some((e) => e.cancelled);
  }

  /** Which items meet a same-titled entry, and the answer for each (Skip stays in the trash). Null when cancelled while asking. */
  private async planRound(dest: Destination, round: TrashItem[], ctx: BatchContext): Promise<RoundPlan | null> {
    ctx.progress({ current: `Checking names in ${dest.path}` });
    const conflicting = await this.preCheck(dest.id, round, ctx.signal);
    const before = conflicting.size ? await this.entriesByTitle(dest.id, ctx.signal) : new Map<string, EntryDto[]>();
    const answers = await this.askAll(
      round.filter((item) => conflicting.has(item.id)),
      dest.path,
      before,
      ctx,
    );
    if (!answers) return null;
    const plan: RoundPlan = { skipped: [], sent: [], before };
    for (const item of round) {
      const answer = answers.get(item.id);
      if (answer === undefined) plan.sent.push({ item, choice: 'none', conflicted: false });
      else if (answer === 'skip') plan.skipped.push(item);
      else plan.sent.push({ item, choice: answer, conflicted: true });
    }
    return plan;
  }

  /**
   * Asks about every conflict at once (the runner shows them one by one and "apply to all" answers
   * the rest); an answer chosen before the batch is taken as it is. Null when cancelled meanwhile.
   */
  private async askAll(conflicted: TrashItem[], destPath: string, before: Map<string, EntryDto[]>, ctx: BatchContext): Promise<Map<string, Resolution> | null> {
    try {
      const answers = await Promise.all(conflicted.map((item) => ctx.resolutionFor(item.key) ?? ctx.ask(this.conflictFor(item, destPath, before))));
      return new Map(conflicted.map((item, i) => [item.id, answers[i]!]));
    } catch (e) {
      if (ctx.signal.aborted || (isAppError(e) && e.code === 'CANCELLED')) return null;
      throw e;
    }
  }

  /** One background move per conflict resolution, each followed to its end; none after a cancel. */
  private async executeRound(dest: Destination, sent: Sent[], progress: Progress, ctx: BatchContext): Promise<OperationEnd[]> {
    const ends: OperationEnd[] = [];
    for (const [type, bucket] of buckets(sent)) {
      if (ctx.signal.aborted) break;
      ctx.progress({ current: `Restoring ${bucket.length.toLocaleString('en-US')} item${bucket.length === 1 ? '' : 's'} to ${dest.path}` });
      const end = await this.runOperation(OPERATION.Move, moveCall(bucket, dest.id, type), (p) => progress.partial(bucket.length, p), ctx.signal);
      progress.settle(bucket.length);
      ends.push(end);
      if (end.cancelled) break;
    }
    return ends;
  }

  /**
   * Starts a background operation (fileops/…) and follows it to its end, reporting its percentages.
   * A start whose answer is lost (connection reset, cut off, unreadable) may still have started the
   * operation: then wait until the user's operations of that type have settled, and let the caller
   * read the trash and the destination to report what really happened — never "failed" by default.
   */
  private async runOperation(type: number, start: ApiCall, onProgress: (percent: number) => void, signal: AbortSignal): Promise<OperationEnd> {
    let started: unknown;
    try {
      started = await this.api.call(start, replies.operations);
    } catch (e) {
      if (!isAppError(e) || !LOST_ANSWER.has(e.code)) throw e;
      await this.settle(signal, type);
      return { error: `${e.message} (what the server did was read back)`, cancelled: false };
    }
    return followOperation(this.api, pickOperation(started, type), { signal, onProgress, pollMs: this.pollMs, maxPollMs: this.maxPollMs });
  }

  /** Waits (bounded) until no operation of this type (of any type when left out) is running for the user. */
  async settle(signal: AbortSignal = new AbortController().signal, type?: number): Promise<void> {
    for (let i = 0; i < 100 && !signal.aborted; i++) {
      const list = await this.api.call({ method: 'GET', path: 'files/fileops', signal }, replies.operations).catch(() => []);
      if (!list.some((o) => !o.finished && (type === undefined || o.Operation === undefined || o.Operation === null || o.Operation === type))) return;
      await sleep(Math.min(this.maxPollMs, this.pollMs * (i + 1)), signal).catch(() => undefined);
    }
  }

  /**
   * A trashed file's thumbnail: its FileDto (GET files/file/{id}) says whether one was Created and
   * where (thumbnailUrl, FileHandler.ashx?action=thumb); that is fetched with the API key when it is
   * on this portal. 204 (not created yet) and 404 read as "no preview".
   */
  async preview(item: TrashItem, signal?: AbortSignal): Promise<Preview> {
    const skip = wantsPreview(item);
    if (skip) return skip;
    const { kind, dsId } = parseItemId(item.id);
    if (kind !== 'file') return none('folder', 'Folders have no preview.');
    const file = await this.api.call({ method: 'GET', path: `files/file/${encodeId(dsId)}`, ...(signal ? { signal } : {}) }, replies.item);
    if (file.thumbnailStatus !== 1 || !file.thumbnailUrl) {
      const waiting = file.thumbnailStatus === 0 || file.thumbnailStatus === 4;
      return none('missing', waiting ? 'DocSpace has not made a thumbnail of this file yet.' : 'DocSpace has no thumbnail of this file.');
    }
    // An address Salvage cannot read (relative, malformed) or on another server is no preview, said in words.
    let thumbnail: URL;
    try {
      thumbnail = new URL(file.thumbnailUrl);
    } catch {
      return none('missing', 'DocSpace gave an address for this thumbnail that Salvage cannot use (not a full web address).');
    }
    if (thumbnail.origin !== new URL(this.api.base).origin) {
      return none('missing', `DocSpace named a thumbnail on another server (${thumbnail.host}); Salvage does not send the API key there.`);
    }
    const res = await this.api.fetchRaw(thumbnail.href, signal);
    if (res.status === 200) return readPreviewImage(res, signal);
    await res.body?.cancel();
    if (res.status === 204 || res.status === 404) return none('missing', 'DocSpace has no thumbnail of this file.');
    throw new AppError(res.status === 403 ? 'FORBIDDEN' : 'SERVER', `DocSpace did not send the thumbnail (HTTP ${res.status}).`, { status: res.status });
  }

  async remove(items: TrashItem[], ctx: BatchContext): Promise<void> {
    if (items.length === 0) return;
    const progress = new Progress(items.length, ctx);
    ctx.progress({ current: `Deleting ${items.length.toLocaleString('en-US')} item${items.length === 1 ? '' : 's'}` });
    const end = await this.runOperation(OPERATION.Delete, deleteCall(items, { immediately: true }), (p) => progress.partial(items.length, p), ctx.signal);
    progress.settle(items.length);
    await this.reportDeletions(items, end, ctx);
  }

  async empty(ctx: BatchContext, listed?: readonly TrashItem[]): Promise<void> {
    // Every item gets its own result: from the caller's fresh listing, else read here first.
    const known: TrashItem[] = listed ? [...listed] : [];
    if (!listed) {
      ctx.progress({ current: 'Reading the trash' });
      for await (const chunk of this.listTrash(null, ctx.signal)) known.push(...chunk.items);
    }
    if (known.length === 0 || ctx.signal.aborted) return;
    const progress = new Progress(known.length, ctx);
    ctx.progress({ current: `Emptying the trash (${known.length.toLocaleString('en-US')} items)` });
    const emptyTrash: ApiCall = { method: 'PUT', path: 'files/fileops/emptytrash', query: { single: true } };
    const end = await this.runOperation(OPERATION.Delete, emptyTrash, (p) => progress.partial(known.length, p), ctx.signal);
    progress.settle(known.length);
    // The operation's own end says it all when it ended whole (no error, not cancelled): no
    // re-read of the trash. Otherwise the trash is read to see which items stayed.
    if (!end.error && !end.cancelled) {
      for (const item of known) ctx.itemDone({ key: item.key, name: item.name, outcome: 'deleted', finalPath: null, error: null });
      return;
    }
    await this.reportDeletions(known, end, ctx);
  }

  /**
   * Undo: each target is read again and left in place unless it is still what landed (same id,
   * version and modification time, not in the trash). Plain restores go back to the trash in one
   * delete operation; a Replace is undone by making the version it replaced current again
   * (DocSpace saved the restored content as a new version of that file, not as a file of its own).
   */
  async undoRestore(targets: UndoTarget[], ctx: BatchContext): Promise<void> {
    const kept = (t: UndoTarget, code: ErrorCode, message: string) =>
      ctx.itemDone({ key: t.key, name: t.name, outcome: 'kept', finalPath: null, error: { code, message } });
    const toTrash: UndoTarget[] = [];
    const toRevert: { t: UndoTarget; replaced: Replaced }[] = [];
    await forEachLimited(targets, PAGE_CONCURRENCY, ctx.signal, async (t) => {
      const { kind, dsId } = parseItemId(t.landed.ref);
      let now: ItemDto | null;
      try {
        now = await this.api.call({ method: 'GET', path: `files/${kind}/${encodeId(dsId)}`, signal: ctx.signal }, replies.item);
      } catch (e) {
        if (!isAppError(e) || e.code !== 'NOT_FOUND') throw e;
        now = null;
      }
      if (!now) return kept(t, 'NOT_FOUND', `${t.landed.name} no longer exists; nothing was moved.`);
      if (now.rootFolderType === FOLDER_TYPE.TRASH) return kept(t, 'NOT_FOUND', `${t.landed.name} is already in the trash.`);
      const sameVersion = t.landed.kind === 'folder' || (now.version ?? null) === t.landed.version;
      if (!sameVersion || (t.landed.kind === 'file' && modifiedOf(now) !== t.landed.modifiedAt)) {
        return kept(t, 'CONFLICT', `${t.landed.name} was changed since it was restored; left in place.`);
      }
      if (t.landed.replaced) toRevert.push({ t, replaced: t.landed.replaced });
      else toTrash.push(t);
    });
    for (const { t, replaced } of toRevert) await this.revertReplace(t, replaced, ctx);
    if (toTrash.length === 0 || ctx.signal.aborted) return;
    const refs = toTrash.map((t) => ({ id: t.landed.ref }));
    const end = await this.runOperation(OPERATION.Delete, deleteCall(refs, { immediately: false }), (p) => ctx.progress({ fraction: p / 100 }), ctx.signal);
    const where = await this.locate(toTrash.map((t) => t.landed.ref));
    for (const t of toTrash) {
      const state = where.get(t.landed.ref);
      if (state === 'trash') {
        ctx.itemDone({ key: t.key, name: t.name, outcome: 'trashed', finalPath: null, error: null });
      } else if (!end.cancelled) {
        ctx.itemDone({
          key: t.key,
          name: t.name,
          outcome: 'failed',
          finalPath: null,
          error:
            state === 'gone'
              ? { code: 'NOT_FOUND', message: 'It is no longer where it was restored to.' }
              : { code: 'SERVER', message: end.error || 'DocSpace did not move it back to the trash.' },
        });
      }
    }
  }

  /**
   * Makes the version a Replace overwrote current again: POST files/file/{id}/restoreversion
   * (DocSpace 3.6 and later; earlier portals take GET and answer 405 to POST).
   */
  private async revertReplace(t: UndoTarget, replaced: Replaced, ctx: BatchContext): Promise<void> {
    if (replaced.version === null) {
      ctx.itemDone({ key: t.key, name: t.name, outcome: 'kept', finalPath: null, error: { code: 'UNSUPPORTED', message: `DocSpace did not say which version of ${t.landed.name} was replaced; left as it is.` } });
      return;
    }
    const { dsId } = parseItemId(t.landed.ref);
    const version = replaced.version;
    const restoreVersion = (method: 'POST' | 'GET') =>
      this.api.send({ method, path: `files/file/${encodeId(dsId)}/restoreversion`, query: { version }, signal: ctx.signal });
    try {
      await restoreVersion('POST').catch((e: unknown) => {
        if (isAppError(e) && e.details?.status === 405) return restoreVersion('GET');
        throw e;
      });
    } catch (e) {
      if (isAppError(e) && (e.code === 'AUTH_FAILED' || e.code === 'CANCELLED')) throw e;
      ctx.itemDone({ key: t.key, name: t.name, outcome: 'failed', finalPath: null, error: toErrorValue(e) });
      return;
    }
    ctx.itemDone({
      key: t.key,
      name: t.name,
      outcome: 'reverted',
      finalPath: null,
      error: null,
      note: `The version of ${t.landed.name} that was replaced is current again; the restored content stays in the file's version history (version ${t.landed.version ?? '?'}).`,
    });
  }

  // Start calls (PUT fileops/…) are not given the batch's signal: once sent, an operation may be
  // running on the server, and followOperation terminates it properly when the user cancels.

  // ——— helpers ———

  private async rootFolders(signal?: AbortSignal): Promise<{ folder: FolderRef; children: FolderRef[]; breadcrumbs: FolderRef[] }> {
    const root: FolderRef = { accountId: this.accountId, id: '', name: 'DocSpace', path: '', canWrite: false, hasChildren: true };
    const [my, rooms] = await Promise.all([
      this.api.call({ method: 'GET', path: 'files/@my', query: { count: 1, startIndex: 0 }, signal }, replies.folderContent).catch((e: unknown) => {
        if (isAppError(e) && (e.code === 'NOT_FOUND' || e.code === 'FORBIDDEN')) return null; // guests have no My documents
        throw e;
      }),
      this.api.call({ method: 'GET', path: 'files/rooms', query: { count: 1, startIndex: 0 }, signal }, replies.folderContent).catch((e: unknown) => {
        if (isAppError(e) && (e.code === 'NOT_FOUND' || e.code === 'FORBIDDEN')) return null; // a key without rooms:read
        throw e;
      }),
    ]);
    const children: FolderRef[] = [];
    const myCurrent = my?.current;
    if (myCurrent) children.push({ ...toFolderRef(myCurrent, this.accountId, myCurrent.title), hasChildren: null });
    const roomsCurrent = rooms?.current;
    if (roomsCurrent) {
      this.roomsRootId = String(roomsCurrent.id);
      children.push({ ...toFolderRef(roomsCurrent, this.accountId, roomsCurrent.title), canWrite: false, hasChildren: null });
    }
    return { folder: root, children, breadcrumbs: [root] };
  }

  private async breadcrumbs(folderId: string, signal?: AbortSignal): Promise<FolderRef[]> {
    const list = await this.api.call({ method: 'GET', path: `files/folder/${encodeURIComponent(folderId)}/path`, signal }, replies.folderPath);
    const out: FolderRef[] = [];
    let path = '';
    for (const e of list) {
      path = joinPath(path, e.title);
      if (e.type === FOLDER_TYPE.VirtualRooms) this.roomsRootId = String(e.id);
      out.push(toFolderRef(e, this.accountId, path));
    }
    return out;
  }

  /**
   * Places for ordering a restore to original places (providers/places.ts): a folder item comes back
   * as its own id; an item's original folder lies within every folder of that folder's path (asked
   * once per folder: GET files/folder/{id}/path, which for a folder inside a trashed one runs
   * through the trashed one). Folders that are gone give no place.
   */
  async restorePlaces(items: TrashItem[], signal?: AbortSignal): Promise<Map<string, { self: string | null; within: string[] }>> {
    const chains = new Map<string, string[] | null>();
    for (const item of items) if (item.originalFolderId) chains.set(item.originalFolderId, null);
    await forEachLimited([...chains.keys()], PAGE_CONCURRENCY, signal ?? new AbortController().signal, async (folderId) => {
      try {
        const list = await this.api.call({ method: 'GET', path: `files/folder/${encodeURIComponent(folderId)}/path`, signal }, replies.folderPath);
        const ids = list.map((e) => String(e.id));
        if (ids[ids.length - 1] !== folderId) ids.push(folderId);
        chains.set(folderId, ids);
      } catch (e) {
        if (!(isAppError(e) && e.code === 'NOT_FOUND')) throw e;
      }
    });
    const out = new Map<string, { self: string | null; within: string[] }>();
    for (const item of items) {
      const within = item.originalFolderId ? chains.get(item.originalFolderId) : null;
      if (!within) continue;
      out.set(item.key, { self: item.kind === 'folder' ? String(parseItemId(item.id).dsId) : null, within });
    }
    return out;
  }

  /** The destination folder and its display path, or null when it no longer exists. */
  private async destination(folderId: string, signal?: AbortSignal): Promise<{ entry: ItemDto; path: string } | null> {
    let entry: ItemDto;
    try {
      entry = await this.api.call({ method: 'GET', path: `files/folder/${encodeURIComponent(folderId)}`, signal }, replies.folder);
    } catch (e) {
      if (isAppError(e) && e.code === 'NOT_FOUND') return null;
      throw e;
    }
    if (entry.rootFolderType === FOLDER_TYPE.TRASH) return null; // the folder itself is in the trash
    const crumbs = await this.breadcrumbs(folderId, signal).catch(() => [] as FolderRef[]);
    return { entry, path: crumbs.map((c) => c.name).join(' / ') || entry.title };
  }

  private groupByDestination(items: TrashItem[], target: RestoreTarget) {
    const groups = new Map<string, TrashItem[]>();
    const orphans: TrashItem[] = [];
    for (const item of items) {
      const dest = target.kind === 'folder' ? target.folderId : item.originalFolderId;
      if (!dest) {
        orphans.push(item);
        continue;
      }
      const list = groups.get(dest) ?? [];
      list.push(item);
      groups.set(dest, list);
    }
    return { groups, orphans };
  }

  /** `GET fileops/move`: which of these items would meet a same-named entry in the destination. */
  private async preCheck(destId: string, items: TrashItem[], signal?: AbortSignal): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < items.length; i += CHECK_BATCH) {
      const ids = splitIds(items.slice(i, i + CHECK_BATCH));
      const list = await this.api.call(
        { method: 'GET', path: 'files/fileops/move', query: { destFolderId: destId, fileIds: ids.files, folderIds: ids.folders }, signal },
        replies.conflicts,
      );
      for (const e of list) out.add(itemId(e));
    }
    return out;
  }

  /** The destination's entries by kind and title (DocSpace compares titles exactly). */
  private async entriesByTitle(destId: string, signal?: AbortSignal): Promise<Map<string, EntryDto[]>> {
    const { entries } = await readAllEntries(this.api, `files/${encodeURIComponent(destId)}`, {}, signal);
    const map = new Map<string, EntryDto[]>();
    for (const e of entries) {
      const key = entryTitleKey(e);
      const list = map.get(key) ?? [];
      list.push(e);
      map.set(key, list);
    }
    return map;
  }

  private conflictFor(item: TrashItem, destPath: string, existing: Map<string, EntryDto[]>): Conflict {
    const other = existing.get(`${item.kind}:${item.name}`)?.[0];
    const folder = item.kind === 'folder';
    return {
      itemKey: item.key,
      name: item.name,
      targetPath: joinPath(destPath, item.name),
      source: 'existing',
      otherKey: null,
      trashed: { size: item.size, deletedAt: item.deletedAt, kind: item.kind },
      existing: {
        size: other ? (isFolderDto(other) ? null : (other.pureContentLength ?? 0)) : null,
        modifiedAt: other?.updated ? new Date(other.updated).toISOString() : null,
        kind: other ? (isFolderDto(other) ? 'folder' : 'file') : item.kind,
      },
      canReplace: !folder,
      note: folder
        ? 'DocSpace merges same-named folders: "Replace" moves the contents into the existing folder and overwrites same-named files in it; "Keep both" puts a second folder with the same name next to it.'
        : 'DocSpace keeps both files under the same name when you choose "Keep both".',
    };
  }

  /**
   * Where each item is now: 'trash' (top level of the trash), 'live', or 'gone'. Reads the whole
   * trash when that takes fewer requests than asking about each item.
   */
  private async locate(ids: string[], signal?: AbortSignal): Promise<Map<string, 'trash' | 'live' | 'gone'>> {
    const out = new Map<string, 'trash' | 'live' | 'gone'>();
    if (ids.length === 0) return out;
    const probe = readPages(this.api, 'files/@trash', {}, signal);
    const first = await probe.next();
    await probe.return(undefined);
    const total = first.done ? 0 : first.value.total;
    if (Math.ceil(total / PAGE_SIZE) <= ids.length) {
      const inTrash = new Set<string>();
      for await (const page of readPages(this.api, 'files/@trash', {}, signal)) for (const e of page.entries) inTrash.add(itemId(e));
      for (const id of ids) out.set(id, inTrash.has(id) ? 'trash' : 'live');
      // 'live' here means "not in the trash"; callers that need more look in the destination.
      return out;
    }
    await forEachLimited(ids, PAGE_CONCURRENCY, signal ?? never, async (id) => {
      const { kind, dsId } = parseItemId(id);
      try {
        const e = await this.api.call({ method: 'GET', path: `files/${kind}/${encodeId(dsId)}`, signal }, replies.item);
        out.set(id, e.rootFolderType === FOLDER_TYPE.TRASH ? 'trash' : 'live');
      } catch (err) {
        if (isAppError(err) && err.code === 'NOT_FOUND') out.set(id, 'gone');
        else throw err;
      }
    });
    return out;
  }

  /** Reads the trash and the destination again and reports each sent item from what they hold. */
  private async reportRestores(sent: Sent[], dest: Destination, ends: OperationEnd[], before: Map<string, EntryDto[]>, ctx: BatchContext): Promise<void> {
    // Read the state again without the batch's signal: after a cancel the truth is still wanted.
    const where = await this.locate(sent.map((s) => s.item.id));
    const { entries } = await readAllEntries(this.api, `files/${encodeURIComponent(dest.id)}`, {});
    const after: AfterMoves = {
      destPath: dest.path,
      byId: new Map(entries.map((e) => [itemId(e), e])),
      titles: new Set(entries.map(entryTitleKey)),
      before,
      cancelled: ends.some((e) => e.cancelled),
      opError: ends.map((e) => e.error).find((e) => e) ?? null,
    };
    for (const s of sent) {
      const report = where.get(s.item.id) === 'trash' ? stillInTrash(s, after) : leftTrash(s, after);
      if (report) ctx.itemDone(...report);
    }
  }

  private async reportDeletions(items: TrashItem[], end: OperationEnd, ctx: BatchContext): Promise<void> {
    const where = await this.locate(items.map((i) => i.id));
    for (const item of items) {
      if (where.get(item.id) !== 'trash') {
        ctx.itemDone({ key: item.key, name: item.name, outcome: 'deleted', finalPath: null, error: null });
      } else if (!end.cancelled) {
        ctx.itemDone(fail(item, 'SERVER', end.error || 'DocSpace did not delete it; it is still in the trash.'));
      }
    }
  }
}

/** Whole-batch progress from the server's per-operation percentages. */
class Progress {
  private settled = 0;

  constructor(
    private readonly total: number,
    private readonly ctx: BatchContext,
  ) {}

  settle(n: number): void {
    if (n === 0) return;
    this.settled += n;
    this.ctx.progress({ fraction: this.total ? Math.min(1, this.settled / this.total) : 1 });
  }

  partial(size: number, percent: number): void {
    if (!this.total) return;
    this.ctx.progress({ fraction: Math.min(1, (this.settled + (size * percent) / 100) / this.total) });
  }
}

function splitIds(items: { id: string }[]): { files: DsId[]; folders: DsId[] } {
  const files: DsId[] = [];
  const folders: DsId[] = [];
  for (const item of items) {
    const { kind, dsId } = parseItemId(item.id);
    (kind === 'file' ? files : folders).push(dsId);
  }
  return { files, folders };
}

const toNumberIfDigits = (s: string): DsId => (/^\d+$/.test(s) ? Number(s) : s);

/** DocSpace compares titles exactly, and a file and a folder may share one. */
const titleKey = (item: { kind: 'file' | 'folder'; name: string }) => `${item.kind}:${item.name}`;

/** Splits items bound for one folder into rounds: the first of each title, then the second, ... */
function rounds(items: TrashItem[]): TrashItem[][] {
  const out: TrashItem[][] = [];
  const seen = new Map<string, number>();
  for (const item of items) {
    const n = seen.get(titleKey(item)) ?? 0;
    seen.set(titleKey(item), n + 1);
    (out[n] ??= []).push(item);
  }
  return out;
}

const entryTitleKey = (e: EntryDto) => titleKey({ kind: isFolderDto(e) ? 'folder' : 'file', name: e.title });

/**
 * One move per conflict resolution. Items without a conflict ride along with "keep both" (a plain
 * move for them) or go with Skip, so a name taken in the meantime is never overwritten.
 */
function buckets(sent: Sent[]): Map<number, Sent[]> {
  const out = new Map<number, Sent[]>();
  const hasDuplicate = sent.some((s) => s.choice === 'keep-both');
  for (const s of sent) {
    const type =
      s.choice === 'replace' ? CONFLICT_RESOLVE.Overwrite : s.choice === 'keep-both' || hasDuplicate ? CONFLICT_RESOLVE.Duplicate : CONFLICT_RESOLVE.Skip;
    const list = out.get(type) ?? [];
    list.push(s);
    out.set(type, list);
  }
  return out;
}

/** PUT fileops/move: keep the finished result readable once (hold) and move folders themselves, not their contents. */
function moveCall(bucket: Sent[], destId: string, conflictResolveType: number): ApiCall {
  const ids = splitIds(bucket.map((s) => s.item));
  return {
    method: 'PUT',
    path: 'files/fileops/move',
    body: {
      fileIds: ids.files,
      folderIds: ids.folders,
      destFolderId: toNumberIfDigits(destId),
      conflictResolveType,
      deleteAfter: false,
      content: false,
      returnSingleOperation: true,
    },
  };
}

/** PUT fileops/delete: into the trash (undo), or for good (`immediately`). */
function deleteCall(items: { id: string }[], { immediately }: { immediately: boolean }): ApiCall {
  const ids = splitIds(items);
  return {
    method: 'PUT',
    path: 'files/fileops/delete',
    body: { fileIds: ids.files, folderIds: ids.folders, deleteAfter: false, immediately, returnSingleOperation: true },
  };
}

/**
 * A sent item still at the top of the trash: a folder merged in part, not moved before a cancel
 * (no report: the runner says cancelled), failed with the operation's error, or left there by the
 * server because its name was taken.
 */
function stillInTrash({ item, choice, conflicted }: Sent, after: AfterMoves): Report | null {
  const base = { key: item.key, name: item.name };
  if (item.kind === 'folder' && conflicted && choice === 'replace' && after.titles.has(titleKey(item))) {
    const message = `Merged into the existing folder; some of its contents stayed in the trash${after.opError ? `: ${after.opError}` : '.'}`;
    return [{ ...base, outcome: 'merged', finalPath: joinPath(after.destPath, item.name), error: { code: 'CONFLICT', message } }];
  }
  if (after.cancelled) return null;
  if (after.opError) return [fail(item, 'SERVER', after.opError)];
  const message = `"${item.name}" already exists in ${after.destPath}; DocSpace left it in the trash.`;
  return [{ ...base, outcome: 'skipped', finalPath: null, error: { code: 'CONFLICT', message } }];
}

/**
 * A sent item that left the trash: in the destination (restored, or renamed by the server), merged
 * into a same-named folder (not offered to Undo: the merge cannot be told apart from what was
 * there), saved as a new version of the file it replaced (Replace records that version so Undo can
 * make it current again), or not found.
 */
function leftTrash({ item, choice }: Sent, after: AfterMoves): Report {
  const base = { key: item.key, name: item.name };
  const finalPath = joinPath(after.destPath, item.name);
  const here = after.byId.get(item.id);
  if (here) {
    const outcome = here.title !== item.name ? 'renamed' : 'restored';
    return [{ ...base, outcome, finalPath: joinPath(after.destPath, here.title), error: null }, { bytes: item.size, landed: landedOf(here, null) }];
  }
  const sameName = after.titles.has(titleKey(item));
  if (item.kind === 'folder' && sameName) return [{ ...base, outcome: 'merged', finalPath, error: null }];
  if (item.kind === 'file' && choice === 'replace' && sameName) {
    // DocSpace's Overwrite saves the restored content as a new version of the file that was there.
    const old = after.before.get(titleKey(item))?.[0];
    const now = old ? after.byId.get(itemId(old)) : undefined;
    const landed = old && now ? landedOf(now, replacedRecord(old, after.destPath)) : undefined;
    return [{ ...base, outcome: 'replaced', finalPath, error: null }, { bytes: item.size, ...(landed ? { landed } : {}) }];
  }
  return [fail(item, 'NOT_FOUND', after.opError || `It left the trash but is not in ${after.destPath}.`)];
}

/** The file a Replace overwrote, as it was before: its version is what Undo makes current again. */
function replacedRecord(old: EntryDto, destPath: string): Replaced {
  return {
    name: old.title,
    ref: itemId(old),
    folder: destPath,
    fileId: itemId(old),
    size: old.pureContentLength ?? null,
    modifiedAt: modifiedOf(old),
    version: old.version ?? null,
    at: new Date().toISOString(),
  };
}

const modifiedOf = (e: ItemDto) => (e.updated ? new Date(e.updated).toISOString() : null);

/** What a restore left in the destination, for undo to check against later. */
function landedOf(e: EntryDto, replaced: Landed['replaced']): Landed {
  const folder = isFolderDto(e);
  return {
    ref: itemId(e),
    name: e.title,
    kind: folder ? 'folder' : 'file',
    fileId: itemId(e),
    etag: null,
    size: folder ? null : (e.pureContentLength ?? null),
    modifiedAt: modifiedOf(e),
    version: folder ? null : (e.version ?? null),
    replaced,
  };
}

export function createDocSpaceProvider(input: { account: AccountConfig; credentials: Credentials }, options?: DocSpaceProviderOptions): TrashProvider {
  return new DocSpaceProvider(input.account, input.credentials, options);
}
