import { toErrorValue } from '../../base/errors';
import { itemKey, type ItemResult, type TrashItem } from '../../../shared/model';
import { str, UsageError, type Args } from './args';
import { listCliBatches, refsFor, resumable, type CliBatch, type CliBatchItem } from './batches';
import { signIn, type Context } from './context';
import { report, runBatch } from './run-batch';

/**
 * `salvage resume`: lists the batches that stopped with items left (killed, crashed, stopped
 * with Ctrl+C, failed), newest first; `salvage resume <id>` finishes one. It signs in to the
 * batch's server as its journal says (the secret from the environment, as always), waits for
 * work the server still does in the background (DocSpace), reads the trash again, and:
 *
 * - runs the batch again, with the same destination and conflict policy, for the items still in
 *   the trash: nothing is restored twice, because what was done has left the trash;
 * - reports each item no longer in the trash without sending anything for it: a restore found at
 *   its place is 'restored' (done before the interruption), a deletion 'deleted'; an item that is
 *   neither is 'failed' with where Salvage looked.
 */
export async function resume(ctx: Context, args: Args, dataDir: string | null): Promise<number> {
  if (!dataDir) throw new UsageError('There is no data folder to resume from (--data-dir).');
  const wanted = args.positional[0];
  if (!wanted) return list(ctx, dataDir);
  const batches = listCliBatches(dataDir).filter((b) => b.state.id.startsWith(wanted));
  if (batches.length === 0)
    throw new UsageError(`No batch ${wanted} in ${dataDir}. \`salvage resume\` lists those that can be resumed.`);
  if (batches.length > 1) throw new UsageError(`${wanted} names ${batches.length} batches; give more of its id.`);
  let batch = batches[0]!;
  // A batch taken over by a resume that stopped too: finish the last of the chain.
  for (let hops = 0; batch.state.resumedBy && hops < 100; hops++) {
    const next = listCliBatches(dataDir).find((b) => b.state.id === batch.state.resumedBy);
    if (!next) break;
    batch = next;
  }
  if (batch.how === 'running')
    throw new UsageError(`Batch ${batch.state.id.slice(0, 8)} is still running (process ${batch.state.pid}).`);
  if (!resumable(batch)) {
    if (ctx.json) await ctx.out.json({ id: batch.state.id, left: 0 });
    else
      await ctx.out.line(
        `Nothing is left to do in batch ${batch.state.id.slice(0, 8)} (${batch.state.title ?? batch.meta.command}).`,
      );
    return 0;
  }
  for (const flag of ['server', 'user', 'kind'] as const) {
    const given = str(args.flags, flag);
    const journaled =
      flag === 'server'
        ? batch.meta.account.server
        : flag === 'user'
          ? batch.meta.account.user
          : batch.meta.account.kind;
    if (given !== undefined && given !== journaled)
      throw new UsageError(
        `Batch ${batch.state.id.slice(0, 8)} ran with --${flag} ${journaled ?? '(none)'}; leave out --${flag}.`,
      );
  }
  return finishBatch(ctx, args, batch);
}

async function list(ctx: Context, dataDir: string): Promise<number> {
  const open = listCliBatches(dataDir).filter(resumable);
  for (const b of open) {
    const { account } = b.meta;
    const why =
      b.how === 'killed'
        ? 'stopped without a word (killed)'
        : b.how === 'interrupted'
          ? `stopped by an error: ${b.state.end?.error?.message ?? ''}`
          : b.how;
    if (ctx.json) {
      await ctx.out.json({
        id: b.state.id,
        command: b.meta.command,
        title: b.state.title,
        startedAt: b.state.startedAt,
        server: account.server,
        kind: account.kind,
        user: account.user,
        total: b.meta.items.length,
        done: b.done,
        left: b.left.length,
        stopped: b.how,
        reason: b.state.end?.error ?? null,
      });
    } else {
      await ctx.out.line(
        `${b.state.id.slice(0, 8)}  ${b.state.startedAt.slice(0, 19).replace('T', ' ')}  ${b.state.title ?? b.meta.command}  (${account.user ? `${account.user} on ` : ''}${account.server})  ${b.done.toLocaleString('en-US')} done, ${b.left.length.toLocaleString('en-US')} left; ${why}`,
      );
    }
  }
  if (!ctx.json) {
    await ctx.out.line(
      open.length
        ? `Resume one with: salvage resume <id> (the secret in SALVAGE_PASSWORD or SALVAGE_TOKEN, as for the batch itself).`
        : `Nothing to resume in ${dataDir}.`,
    );
  }
  return 0;
}

async function finishBatch(ctx: Context, args: Args, batch: CliBatch): Promise<number> {
  const { services } = ctx;
  const { account } = await signIn(ctx, args, batch.meta.account);
  const refs = refsFor(account.id, batch.left);
  // What the server still does in the background for the killed batch is finished first, so the trash is read as it
  // will stay.
  await services.accounts.withProvider(account.id, async (p) => p.settle?.());
  const { found, missing } = await services.trash.resolve(refs);
  const gone = new Set(missing.map((m) => m.id));
  const before = await accountFor(
    ctx,
    account.id,
    batch,
    batch.left.filter((i) => gone.has(i.id)),
  );
  const meta = { ...batch.meta, items: batch.left, resumes: batch.state.id };
  const policy = meta.policy;
  const start = () => {
    const items = found.map((i) => ({
      accountId: account.id,
      id: i.id,
      ...(i.parentId ? { parentId: i.parentId } : {}),
    }));
    if (meta.command !== 'restore') return services.ops.remove(items);
    const destination =
      meta.destination.kind === 'original' ? meta.destination : { ...meta.destination, accountId: account.id };
    return services.ops.restore({
      items,
      destination,
      resolutions: Object.fromEntries(items.map((i) => [itemKey(account.id, i.id), policy])),
      recreateMissingFolders: meta.recreateFolders,
    });
  };
  const title = `Finish “${batch.state.title ?? meta.command}” (${batch.left.length.toLocaleString('en-US')} left of ${batch.meta.items.length.toLocaleString('en-US')})`;
  if (found.length === 0) {
    // Everything left had already left the trash: only the check above to report.
    const id = ctx.journal.open(meta);
    for (const r of before) ctx.journal.settledBefore(r);
    ctx.journal.markResumed(batch, id);
    ctx.journal.end('done', null);
    return report(ctx, { kind: meta.command, title, state: 'done', error: null, results: [] }, id, before);
  }
  let resumedBy: string | null = null;
  return runBatch(
    ctx,
    meta,
    async () => {
      resumedBy = ctx.journal.current?.id ?? null;
      if (resumedBy) ctx.journal.markResumed(batch, resumedBy);
      return start();
    },
    before,
    title,
  );
}

/**
 * Items of an interrupted batch that are no longer in the trash: where are they? A deletion is
 * done. A restore is looked for where it was going (the name taken there: it landed before the
 * interruption); when it is not there, it is reported failed, saying where Salvage looked.
 */
async function accountFor(
  ctx: Context,
  accountId: string,
  batch: CliBatch,
  gone: CliBatchItem[],
): Promise<ItemResult[]> {
  const sent = new Set([...batch.state.sent].map((k) => k.slice(k.indexOf(':') + 1)));
  const key = (i: CliBatchItem) => itemKey(accountId, i.id);
  if (batch.meta.command !== 'restore') {
    return gone.map((i) => ({
      key: key(i),
      name: i.name,
      outcome: 'deleted' as const,
      finalPath: null,
      error: null,
      note: sent.has(i.id) ? 'deleted before the interruption' : 'no longer in the trash',
    }));
  }
  const lookable = gone.filter((i) => i.kind !== null && i.originalFolder !== null);
  const found = new Map<string, string>();
  if (lookable.length) {
    const target =
      batch.meta.destination.kind === 'original'
        ? ({ kind: 'original' } as const)
        : ({ kind: 'folder', folderId: batch.meta.destination.folderId } as const);
    const items = lookable.map((i) => asTrashItem(accountId, i));
    try {
      const { conflicts } = await ctx.services.accounts.withProvider(accountId, (p) => p.findConflicts(items, target));
      for (const c of conflicts) if (c.source === 'existing') found.set(c.itemKey, c.targetPath);
    } catch (e) {
      const why = toErrorValue(e);
      return gone.map((i) => ({
        key: key(i),
        name: i.name,
        outcome: 'failed' as const,
        finalPath: null,
        error: {
          code: why.code,
          message: `No longer in the trash; Salvage could not look for it at its destination: ${why.message}`,
        },
      }));
    }
  }
  return gone.map((i): ItemResult => {
    const at = found.get(key(i));
    if (at)
      return {
        key: key(i),
        name: i.name,
        outcome: 'restored',
        finalPath: at,
        error: null,
        note: sent.has(i.id) ? 'restored before the interruption' : 'found at its place',
      };
    const where =
      batch.meta.destination.kind === 'original'
        ? (i.originalFolder ?? 'its original folder')
        : 'the folder it was going to';
    return {
      key: key(i),
      name: i.name,
      outcome: 'failed',
      finalPath: null,
      error: {
        code: 'NOT_FOUND',
        message:
          i.kind === null
            ? 'Not in the trash (it was not there when the batch started either).'
            : sent.has(i.id)
              ? `No longer in the trash, and no "${i.name}" in ${where}: the server may have restored it under another name (Keep both), or it was deleted for good.`
              : `No longer in the trash (this batch never sent it): restored or deleted elsewhere.`,
      },
    };
  });
}

/** A journal item as the provider's conflict check reads it. */
function asTrashItem(accountId: string, i: CliBatchItem): TrashItem {
  const dot = i.name.lastIndexOf('.');
  return {
    key: itemKey(accountId, i.id),
    accountId,
    id: i.id,
    name: i.name,
    kind: i.kind ?? 'file',
    size: null,
    deletedAt: null,
    originalFolder: i.originalFolder ?? '',
    originalFolderId: i.originalFolderId,
    expiresAt: null,
    mimeType: null,
    ext: i.kind === 'folder' || dot <= 0 ? '' : i.name.slice(dot + 1).toLowerCase(),
    deletedBy: null,
    parentId: i.parentId,
  };
}
