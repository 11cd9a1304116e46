import { AppError, toErrorValue } from '../base/errors';
import { onSlowRequest, slowText } from '../net/waiting';
import {
  isFinished,
  itemKey,
  parseItemKey,
  type Destination,
  type ItemRef,
  type OperationView,
  type Resolution,
  type TrashItem,
} from '../../shared/model';
import type { OperationsRunner, PlannedItem } from '../operations/runner';
import { restorePlaces, restoreWaves } from '../providers/places';
import { landedIdentities, type BatchContext, type RestoreTarget, type TrashProvider } from '../providers/types';
import type { AccountsService } from './accounts';
import type { TrashService } from './trash';

export interface RestoreRequest {
  items: ItemRef[];
  destination: Destination;
  resolutions: Record<string, Resolution>;
  recreateMissingFolders?: boolean | undefined;
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
const groupByAccount = <T extends { accountId: string }>(items: T[]) => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(item.accountId);
    if (group) group.push(item);
    else groups.set(item.accountId, [item]);
  }
  return groups;
};
const planned = (items: TrashItem[]): PlannedItem[] => items.map((i) => ({ key: i.key, name: i.name, size: i.size }));

/** Turns renderer requests into batches on the one operations runner. */
export class OperationsService {
  /**
   * Finished restores that can still be undone, with the live items they put in place (by path and
   * server id, see landedIdentities). A later batch that touches any of them takes that Undo away.
   */
  private readonly undoIndex = new Map<string, Map<string, string>>();
  /**
   * Restores that rebuilt a tree: how many trashed folders of the batch each item lay inside (Undo goes deepest first).
   */
  private readonly depths = new Map<string, Map<string, number>>();
  /** Restores that can still be undone: each item as the trash showed it, which an Undo gives back (the ledger). */
  private readonly restoredFrom = new Map<string, Map<string, TrashItem>>();

  constructor(
    private readonly runner: OperationsRunner,
    private readonly accounts: AccountsService,
    private readonly trash: TrashService,
  ) {}

  /**
   * While a batch runs, a server of its accounts that keeps it waiting says so on the batch
   * ("Still waiting for …"); the watch ends with the batch.
   */
  private watch(view: OperationView): OperationView {
    const hosts = new Set(
      view.accountIds.map((id) => {
        try {
          return new URL(this.accounts.config(id).serverUrl).host;
        } catch {
          return null;
        }
      }),
    );
    const stop = onSlowRequest((slow) => {
      if (hosts.has(slow.host)) this.runner.note(view.id, slowText(slow));
    });
    void this.runner.wait(view.id).finally(stop);
    return view;
  }

  async checkConflicts(refs: ItemRef[], destination: Destination) {
    const { found } = await this.trash.resolve(refs);
    const conflicts = [];
    const missingFolders = new Set<string>();
    for (const [accountId, items] of groupByAccount(found)) {
      const result = await this.accounts.withProvider(accountId, async (p) => {
        // Items inside a trashed folder of the same selection land where that folder comes back:
        // nothing to check there before it has, and their folder is not missing.
        const first = destination.kind === 'original' ? ((await this.waves(p, items)).waves[0] ?? []) : items;
        return p.findConflicts(first, this.target(accountId, destination));
      });
      conflicts.push(...result.conflicts);
      for (const folder of result.missingFolders) missingFolders.add(folder);
    }
    return { conflicts, missingFolders: [...missingFolders] };
  }

  /**
   * A destination folder's name for a batch's title (its id says nothing on DocSpace); the id itself when it cannot be
   * read.
   */
  private async folderName(destination: { accountId: string; folderId: string }): Promise<string> {
    try {
      const { folder } = await this.accounts.withProvider(destination.accountId, (p) =>
        p.listFolders(destination.folderId || null),
      );
      return folder.name || destination.folderId || '/';
    } catch {
      return destination.folderId || '/';
    }
  }

  async restore(request: RestoreRequest): Promise<OperationView> {
    const { found, missing } = await this.trash.resolve(request.items);
    const groups = groupByAccount(found);
    for (const accountId of groups.keys()) this.target(accountId, request.destination); // validate early
    const count = found.length + missing.length;
    const what = count === 1 ? (found[0]?.name ?? this.trash.nameOf(missing[0]!)) : plural(count, 'item');
    const where =
      request.destination.kind === 'original'
        ? `to where ${count === 1 ? 'it was' : 'they were'}`
        : `to “${await this.folderName(request.destination)}”`;
    const depths = new Map<string, number>();
    const byKey = new Map(found.map((i) => [i.key, i]));
    let began = Date.now();
    const view = this.runner.start({
      kind: 'restore',
      title: `Restore ${what} ${where}`,
      accountIds: [...new Set(request.items.map((r) => r.accountId))],
      items: [...planned(found), ...this.plannedMissing(missing)],
      resolutions: request.resolutions,
      undoable: true,
      resume: {
        kind: 'restore',
        items: request.items,
        destination: request.destination,
        resolutions: request.resolutions,
        recreateMissingFolders: Boolean(request.recreateMissingFolders),
      },
      work: async (ctx) => {
        began = Date.now();
        this.reportMissing(ctx, missing);
        for (const [accountId, items] of groups) {
          if (ctx.signal.aborted) break;
          await this.accounts.withProvider(accountId, async (p) => {
            const target = this.target(accountId, request.destination);
            const options = { recreateMissingFolders: Boolean(request.recreateMissingFolders) };
            if (target.kind !== 'original') {
              ctx.sending?.(items.map((i) => i.key));
              return p.restore(items, target, options, ctx);
            }
            // Rebuild the tree: trashed folders of the batch come back (with their contents) before
            // anything whose original place lies inside them; each wave runs concurrently.
            const { waves, depth } = await this.waves(p, items, ctx.signal);
            for (const [key, d] of depth) depths.set(key, d);
            for (const wave of waves) {
              if (ctx.signal.aborted) break;
              ctx.sending?.(wave.map((i) => i.key));
              await p.restore(wave, target, options, ctx);
            }
          });
        }
      },
      // The ledger: a file a Replace moved to the trash is Salvage's move, not a deletion; so is an
      // item the server had already restored when the user chose Skip, and Salvage put back.
      onItem: (result, extra) => {
        const accountId = parseItemKey(result.key).accountId;
        if (extra?.landed?.replaced) this.trash.ledger.recordReplace(accountId, extra.landed.replaced, result.name);
        const item = extra?.trashedBack ? byKey.get(result.key) : undefined;
        if (extra?.trashedBack && item) this.trash.ledger.recordUndo(accountId, extra.trashedBack, item, began);
      },
    });
    this.afterwards(view.id, ['restored', 'renamed', 'replaced', 'merged']);
    void this.runner.wait(view.id).then((done) => {
      this.trash.ledger.flush();
      const touched = this.identitiesOf(view.id);
      this.takeUndoFromEarlier(touched, done.title);
      if (done.undoable) {
        this.undoIndex.set(view.id, touched);
        this.restoredFrom.set(view.id, byKey);
      }
      if (done.undoable && [...depths.values()].some((d) => d > 0)) this.depths.set(view.id, depths);
    });
    return this.watch(view);
  }

  async remove(refs: ItemRef[]): Promise<OperationView> {
    const { found, missing } = await this.trash.resolve(refs);
    const view = this.runner.start({
      kind: 'delete',
      title: `Delete ${plural(found.length + missing.length, 'item')} permanently`,
      accountIds: [...new Set(refs.map((r) => r.accountId))],
      items: [...planned(found), ...this.plannedMissing(missing)],
      resume: { kind: 'delete', items: refs },
      work: async (ctx) => {
        this.reportMissing(ctx, missing);
        for (const [accountId, items] of groupByAccount(found)) {
          if (ctx.signal.aborted) break;
          ctx.sending?.(items.map((i) => i.key));
          await this.accounts.withProvider(accountId, (p) => p.remove(items, ctx));
        }
      },
    });
    this.afterwards(view.id, ['deleted']);
    return this.watch(view);
  }

  async empty(accountId: string): Promise<OperationView> {
    const account = this.accounts.config(accountId);
    // What is there, so every item gets its own result: the listing the window has just shown when
    // it is complete and fresh (no second read), else read now. A trash that cannot be read is not emptied blind.
    const shown = this.trash.lastListing(accountId);
    const listing = shown
      ? { items: [...shown], error: null }
      : await this.trash.readAll(accountId, null).then(
          (items) => ({ items, error: null }),
          (e: unknown) => ({ items: [] as TrashItem[], error: toErrorValue(e) }),
        );
    const view = this.runner.start({
      kind: 'empty',
      title: `Empty the trash of ${account.label}`,
      accountIds: [accountId],
      items: planned(listing.items),
      work: (ctx) => {
        if (listing.error) {
          throw new AppError(
            listing.error.code,
            `The trash could not be read, so nothing was deleted: ${listing.error.message}`,
            listing.error.details,
          );
        }
        ctx.sending?.(listing.items.map((i) => i.key));
        return this.accounts.withProvider(accountId, (p) => p.empty(ctx, listing.items));
      },
    });
    void this.runner.wait(view.id).then(() => this.trash.forgetAccount(accountId));
    return this.watch(view);
  }

  undo(operationId: string): OperationView {
    const original = this.runner.get(operationId);
    if (!original.undoable)
      throw new AppError('INVALID_INPUT', original.undoNote ?? 'This operation cannot be undone.');
    const landed = this.runner.landed(operationId);
    const byKey = new Map(original.results.map((r) => [r.key, r]));
    const targets = [...landed].map(([key, l]) => ({
      key,
      name: byKey.get(key)?.name ?? l.name,
      landed: l,
      accountId: parseItemKey(key).accountId,
    }));
    // An undo runs once.
    this.runner.blockUndo(operationId, 'Already undone.');
    this.undoIndex.delete(operationId);
    const depths = this.depths.get(operationId);
    this.depths.delete(operationId);
    const before = this.restoredFrom.get(operationId);
    this.restoredFrom.delete(operationId);
    const byTarget = new Map(targets.map((t) => [t.key, t]));
    let began = Date.now();
    const only = targets.length === 1 ? targets[0]!.name : null;
    const view = this.runner.start({
      kind: 'undo',
      title: only ? `Undo restore of ${only}` : `Undo restore of ${plural(targets.length, 'item')}`,
      accountIds: original.accountIds,
      items: targets.map((t) => ({ key: t.key, name: t.name, size: null })),
      work: async (ctx) => {
        began = Date.now();
        for (const [accountId, group] of groupByAccount(targets)) {
          if (ctx.signal.aborted) break;
          // A rebuilt tree goes back innermost first, so each item is trashed on its own, not inside its folder.
          const waves: (typeof group)[] = [];
          for (const t of group) (waves[depths?.get(t.key) ?? 0] ??= []).push(t);
          for (const wave of waves.reverse()) {
            if (ctx.signal.aborted) break;
            if (!wave?.length) continue;
            ctx.sending?.(wave.map((t) => t.key));
            await this.accounts.withProvider(accountId, (p) => p.undoRestore(wave, ctx));
          }
        }
      },
      // The ledger: what Undo moved back to the trash reads again as it did before the restore.
      onItem: (result) => {
        if (result.outcome !== 'trashed' && result.outcome !== 'reverted') return;
        const target = byTarget.get(result.key);
        const original = before?.get(result.key);
        if (target && original) this.trash.ledger.recordUndo(target.accountId, target.landed, original, began);
      },
    });
    void this.runner.wait(view.id).then((done) => {
      this.trash.ledger.flush();
      const acted = new Set(
        done.results.filter((r) => r.outcome === 'trashed' || r.outcome === 'reverted').map((r) => r.key),
      );
      const touched = new Map<string, string>();
      for (const t of targets)
        if (acted.has(t.key)) for (const id of landedIdentities(t.accountId, t.landed)) touched.set(id, t.name);
      this.takeUndoFromEarlier(touched, done.title);
    });
    return this.watch(view);
  }

  /**
   * Moves the items of a finished restore that the server put somewhere else than its records say
   * they belong (ItemResult.movableTo: several same-named files deleted in one second) to that
   * place, as a new batch that can be undone like a restore. Each is checked to still be the file
   * that landed; nothing is overwritten.
   */
  moveToListed(operationId: string): OperationView {
    const original = this.runner.get(operationId);
    if (original.kind !== 'restore' || !isFinished(original))
      throw new AppError('INVALID_INPUT', 'Only a finished restore has items to move.');
    const landed = this.runner.landed(operationId);
    const targets = original.results.flatMap((r) => {
      const l = landed.get(r.key);
      return r.movableTo && l && l.ref !== r.movableTo
        ? [{ key: r.key, name: r.name, landed: l, to: r.movableTo, accountId: parseItemKey(r.key).accountId }]
        : [];
    });
    if (targets.length === 0)
      throw new AppError('INVALID_INPUT', 'Nothing in this restore is away from where it belongs.');
    const view = this.runner.start({
      kind: 'restore',
      title:
        targets.length === 1
          ? `Move ${targets[0]!.name} to where it belongs`
          : `Move ${plural(targets.length, 'item')} to where they belong`,
      accountIds: [...new Set(targets.map((t) => t.accountId))],
      items: targets.map((t) => ({ key: t.key, name: t.name, size: null })),
      undoable: true,
      work: async (ctx) => {
        for (const [accountId, group] of groupByAccount(targets)) {
          if (ctx.signal.aborted) break;
          await this.accounts.withProvider(accountId, async (p) => {
            if (!p.relocate) throw new AppError('UNSUPPORTED', 'This server kind cannot move restored items.');
            ctx.sending?.(group.map((t) => t.key));
            await p.relocate(group, ctx);
          });
        }
      },
    });
    void this.runner.wait(view.id).then((done) => {
      const touched = this.identitiesOf(view.id);
      this.takeUndoFromEarlier(touched, done.title);
      if (done.undoable) this.undoIndex.set(view.id, touched);
    });
    return this.watch(view);
  }

  /** The live items a finished restore put in place, identity → item name. */
  private identitiesOf(operationId: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const [key, landed] of this.runner.landed(operationId)) {
      for (const id of landedIdentities(parseItemKey(key).accountId, landed)) out.set(id, landed.name);
    }
    return out;
  }

  /** A batch touched these live items: earlier restores that put any of them in place lose their Undo. */
  private takeUndoFromEarlier(touched: Map<string, string>, by: string): void {
    for (const [operationId, identities] of this.undoIndex) {
      const shared = [...touched.keys()].find((id) => identities.has(id));
      if (shared === undefined) continue;
      this.undoIndex.delete(operationId);
      this.restoredFrom.delete(operationId);
      this.runner.blockUndo(
        operationId,
        `${touched.get(shared)} was changed by a later batch (${by}), so this restore can no longer be undone.`,
      );
    }
  }

  /**
   * Runs a finished batch again for every item it did not do: those that failed or were
   * cancelled, and — after Salvage was closed in the middle — those that never got a result.
   * Items done or skipped by choice are left alone.
   */
  retryFailed(operationId: string): Promise<OperationView> {
    const view = this.runner.get(operationId);
    const how = this.runner.resumeOf(operationId);
    if (!how || !isFinished(view)) throw new AppError('INVALID_INPUT', 'This operation cannot be retried.');
    // A restore that failed after it moved the item (it says where the item is) is not in the trash to retry.
    const settled = new Set(
      view.results
        .filter((r) => (r.outcome !== 'failed' && r.outcome !== 'cancelled') || (how.kind === 'restore' && r.finalPath))
        .map((r) => r.key),
    );
    const left = how.items.filter((r) => !settled.has(itemKey(r.accountId, r.id)));
    if (left.length === 0) throw new AppError('INVALID_INPUT', 'Nothing is left to do.');
    if (how.kind === 'delete') return this.remove(left);
    return this.restore({ ...how, items: left });
  }

  /** The waves a restore to original places runs in (providers/places.ts). */
  private async waves(p: TrashProvider, items: TrashItem[], signal?: AbortSignal) {
    // Without a folder in the batch nothing lies inside another item: one wave, no questions asked.
    if (!items.some((i) => i.kind === 'folder'))
      return { waves: items.length ? [items] : [], depth: new Map<string, number>() };
    const places = await restorePlaces(p, items, signal);
    return restoreWaves(items, places);
  }

  private target(accountId: string, destination: Destination): RestoreTarget {
    if (destination.kind === 'original') return { kind: 'original' };
    if (destination.accountId !== accountId) {
      throw new AppError('INVALID_INPUT', 'Items can only be restored into a folder of their own account.');
    }
    return { kind: 'folder', folderId: destination.folderId };
  }

  /** Items no longer in the trash, each named as the user knew it (never by its raw trash entry name). */
  private plannedMissing(missing: ItemRef[]): PlannedItem[] {
    return missing.map((m) => ({ key: itemKey(m.accountId, m.id), name: this.trash.nameOf(m), size: null }));
  }

  private reportMissing(ctx: BatchContext, missing: ItemRef[]): void {
    for (const m of missing) {
      ctx.itemDone({
        key: itemKey(m.accountId, m.id),
        name: this.trash.nameOf(m),
        outcome: 'failed',
        finalPath: null,
        error: { code: 'NOT_FOUND', message: 'This item is no longer in the trash.' },
      });
    }
  }

  /** Once a batch ends, drop the items that left the trash from the cache. */
  private afterwards(operationId: string, gone: string[]): void {
    void this.runner.wait(operationId).then((view) => {
      for (const r of view.results) {
        if (!gone.includes(r.outcome)) continue;
        const ref = parseItemKey(r.key);
        this.trash.forget(ref.accountId, [ref.id]);
      }
    });
  }
}
