import { isAppError } from '../../base/errors';
import type { ItemResult, Resolution, TrashItem } from '../../../shared/model';
import type { BatchContext, Landed, Replaced, RestoreOptions, RestoreTarget } from '../types';
import type { ApiCall, DocSpaceApi } from './api';
import {
  CONFLICT_RESOLVE,
  canWriteInto,
  isFolderDto,
  itemId,
  OPERATION,
  splitIds,
  type DsId,
  type EntryDto,
  type ItemDto,
} from './dto';
import { entryTitleKey, titleKey, type DocSpaceConflicts } from './conflicts';
import { fail, Progress, type FileOps } from './fileops';
import { joinPath, type DocSpaceFolders } from './folders';
import type { OperationEnd } from './operations';
import { readAllEntries } from './pages';

/**
 * Restores: grouped by destination folder, in rounds of differently-titled items, one background
 * move per answer, each item reported from what the trash and the folder hold afterwards.
 */

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

export class DocSpaceRestore {
  constructor(
    private readonly api: DocSpaceApi,
    private readonly folders: DocSpaceFolders,
    private readonly conflicts: DocSpaceConflicts,
    private readonly ops: FileOps,
  ) {}

  /**
   * Restores in steps: items are grouped by destination folder; for each usable folder, rounds of
   * differently-titled items are planned (pre-check, ask), executed (one background move per
   * answer) and reported (from what the trash and the folder hold afterwards).
   */
  async restore(items: TrashItem[], target: RestoreTarget, _options: RestoreOptions, ctx: BatchContext): Promise<void> {
    const { groups, orphans } = this.conflicts.groupByDestination(items, target);
    const progress = new Progress(items.length, ctx);
    for (const item of orphans)
      ctx.itemDone(
        fail(
          item,
          'DEST_MISSING',
          'The folder it was deleted from no longer exists. Restore it to a folder you choose.',
        ),
      );
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
  private async usableDestination(
    destId: string,
    group: TrashItem[],
    target: RestoreTarget,
    ctx: BatchContext,
  ): Promise<Destination | null> {
    const dest = await this.folders.destination(destId, ctx.signal);
    if (!dest) {
      for (const item of group) {
        const where =
          target.kind === 'original' && item.originalFolder ? `"${item.originalFolder}"` : 'The destination folder';
        ctx.itemDone(
          fail(item, 'DEST_MISSING', `${where} no longer exists or is in the trash. Restore it to another folder.`),
        );
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
  private async restoreRound(
    dest: Destination,
    round: TrashItem[],
    progress: Progress,
    ctx: BatchContext,
  ): Promise<boolean> {
    const plan = await this.planRound(dest, round, ctx);
    if (!plan) return true;
    for (const item of plan.skipped)
      ctx.itemDone({ key: item.key, name: item.name, outcome: 'skipped', finalPath: null, error: null });
    progress.settle(plan.skipped.length);
    if (plan.sent.length === 0) return false;
    const ends = await this.executeRound(dest, plan.sent, progress, ctx);
    await this.reportRestores(plan.sent, dest, ends, plan.before, ctx);
    return ends.some((e) => e.cancelled);
  }

  /**
   * Which items meet a same-titled entry, and the answer for each (Skip stays in the trash). Null when cancelled while
   * asking.
   */
  private async planRound(dest: Destination, round: TrashItem[], ctx: BatchContext): Promise<RoundPlan | null> {
    ctx.progress({ current: `Checking names in ${dest.path}` });
    const conflicting = await this.conflicts.preCheck(dest.id, round, ctx.signal);
    const before = conflicting.size
      ? await this.conflicts.entriesByTitle(dest.id, ctx.signal)
      : new Map<string, EntryDto[]>();
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
  private async askAll(
    conflicted: TrashItem[],
    destPath: string,
    before: Map<string, EntryDto[]>,
    ctx: BatchContext,
  ): Promise<Map<string, Resolution> | null> {
    try {
      const answers = await Promise.all(
        conflicted.map(
          (item) => ctx.resolutionFor(item.key) ?? ctx.ask(this.conflicts.conflictFor(item, destPath, before)),
        ),
      );
      return new Map(conflicted.map((item, i) => [item.id, answers[i]!]));
    } catch (e) {
      if (ctx.signal.aborted || (isAppError(e) && e.code === 'CANCELLED')) return null;
      throw e;
    }
  }

  /** One background move per conflict resolution, each followed to its end; none after a cancel. */
  private async executeRound(
    dest: Destination,
    sent: Sent[],
    progress: Progress,
    ctx: BatchContext,
  ): Promise<OperationEnd[]> {
    const ends: OperationEnd[] = [];
    for (const [type, bucket] of buckets(sent)) {
      if (ctx.signal.aborted) break;
      ctx.progress({
        current: `Restoring ${bucket.length.toLocaleString('en-US')} item${bucket.length === 1 ? '' : 's'} to ${dest.path}`,
      });
      const end = await this.ops.runOperation(
        OPERATION.Move,
        moveCall(bucket, dest.id, type),
        (p) => progress.partial(bucket.length, p),
        ctx.signal,
      );
      progress.settle(bucket.length);
      ends.push(end);
      if (end.cancelled) break;
    }
    return ends;
  }

  /** Reads the trash and the destination again and reports each sent item from what they hold. */
  private async reportRestores(
    sent: Sent[],
    dest: Destination,
    ends: OperationEnd[],
    before: Map<string, EntryDto[]>,
    ctx: BatchContext,
  ): Promise<void> {
    // Read the state again without the batch's signal: after a cancel the truth is still wanted.
    const where = await this.ops.locate(sent.map((s) => s.item.id));
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
}

const toNumberIfDigits = (s: string): DsId => (/^\d+$/.test(s) ? Number(s) : s);

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

/**
 * One move per conflict resolution. Items without a conflict ride along with "keep both" (a plain
 * move for them) or go with Skip, so a name taken in the meantime is never overwritten.
 */
function buckets(sent: Sent[]): Map<number, Sent[]> {
  const out = new Map<number, Sent[]>();
  const hasDuplicate = sent.some((s) => s.choice === 'keep-both');
  for (const s of sent) {
    const type =
      s.choice === 'replace'
        ? CONFLICT_RESOLVE.Overwrite
        : s.choice === 'keep-both' || hasDuplicate
          ? CONFLICT_RESOLVE.Duplicate
          : CONFLICT_RESOLVE.Skip;
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

/**
 * A sent item still at the top of the trash: a folder merged in part, not moved before a cancel
 * (no report: the runner says cancelled), failed with the operation's error, or left there by the
 * server because its name was taken.
 */
function stillInTrash({ item, choice, conflicted }: Sent, after: AfterMoves): Report | null {
  const base = { key: item.key, name: item.name };
  if (item.kind === 'folder' && conflicted && choice === 'replace' && after.titles.has(titleKey(item))) {
    const message = `Merged into the existing folder; some of its contents stayed in the trash${after.opError ? `: ${after.opError}` : '.'}`;
    return [
      {
        ...base,
        outcome: 'merged',
        finalPath: joinPath(after.destPath, item.name),
        error: { code: 'CONFLICT', message },
      },
    ];
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
    return [
      { ...base, outcome, finalPath: joinPath(after.destPath, here.title), error: null },
      { bytes: item.size, landed: landedOf(here, null) },
    ];
  }
  const sameName = after.titles.has(titleKey(item));
  if (item.kind === 'folder' && sameName) return [{ ...base, outcome: 'merged', finalPath, error: null }];
  if (item.kind === 'file' && choice === 'replace' && sameName) {
    // DocSpace's Overwrite saves the restored content as a new version of the file that was there.
    const old = after.before.get(titleKey(item))?.[0];
    const now = old ? after.byId.get(itemId(old)) : undefined;
    const landed = old && now ? landedOf(now, replacedRecord(old, after.destPath)) : undefined;
    return [
      { ...base, outcome: 'replaced', finalPath, error: null },
      { bytes: item.size, ...(landed ? { landed } : {}) },
    ];
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

export const modifiedOf = (e: ItemDto) => (e.updated ? new Date(e.updated).toISOString() : null);

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
