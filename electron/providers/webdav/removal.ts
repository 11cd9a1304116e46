import { AppError } from '../../base/errors';
import type { TrashItem } from '../../../shared/model';
import type { BatchContext } from '../types';
import { runBatch } from './batch';
import type { TrashListing } from './listing';
import type { WebDavSession } from './requests';

/** Deleting for good: items one by one, or a whole trash (oCIS: each space's that the user manages). */
export class Removal {
  constructor(
    private readonly s: WebDavSession,
    private readonly listing: TrashListing,
  ) {}

  async remove(items: TrashItem[], ctx: BatchContext): Promise<void> {
    await this.s.prepare(ctx.signal);
    await runBatch(this.s, items, ctx, async (item) => {
      const refusal = this.s.dialect.spaces?.deleteRefusal(this.s.ctx, item);
      if (refusal) throw refusal;
      const res = await this.s.send('DELETE', this.s.trashPath(item.id), {
        signal: ctx.signal,
        idempotent: false,
        confirm: async () => !(await this.s.inTrash(item.id)),
      });
      if (res.status === 204 || res.status === 200) {
        await res.body?.cancel();
        ctx.itemDone(this.s.result(item, 'deleted', null), { bytes: item.size });
        return;
      }
      if (res.status === 409 && this.s.kind === 'ocis') {
        // reva answers 409 (not 404) for a trash key it does not know.
        await res.body?.cancel();
        throw new AppError('NOT_FOUND', 'This item is no longer in the trash.', { status: 409 });
      }
      throw await this.s.failure(res, {
        404: 'This item is no longer in the trash.',
        403: 'The server does not allow deleting items from the trash for this account (an administrator may have turned it off).',
      });
    });
  }

  async empty(ctx: BatchContext, listed?: readonly TrashItem[]): Promise<void> {
    // Every item gets its own result: from the caller's fresh listing, else read here first.
    const known: TrashItem[] = listed ? [...listed] : [];
    if (!listed) for await (const chunk of this.listing.listTrash(null, ctx.signal)) known.push(...chunk.items);
    const spaces = this.s.dialect.spaces;
    if (!spaces) return this.emptyRoot(ctx, this.s.trashPath(null), known, null);
    // oCIS: each space's trash is emptied on its own; only a space's managers may empty it.
    const c = this.s.ctx;
    const roots = spaces.listings(c, null);
    const itemsOf = (id: string) => known.filter((i) => spaces.spaceOfItem(c, i.id)?.id === id);
    const allowed = roots.filter((r) => r.space.role === 'manager' || r.space.role === 'unknown');
    const left = roots.filter((r) => !allowed.includes(r));
    const reason = left.length
      ? `; ${left.map((r) => r.space.name).join(', ')} left out: only a space's managers may empty its trash`
      : '';
    ctx.progress({
      current: `Emptying the trash of ${allowed.map((r) => r.space.name).join(', ') || 'no space'} (${known.length.toLocaleString('en-US')} items)${reason}`,
    });
    for (const r of left) {
      for (const item of itemsOf(r.space.id)) {
        ctx.itemDone({
          ...this.s.result(item, 'skipped', null),
          note: `Not emptied: only managers of ${r.space.name} may empty its trash.`,
        });
      }
    }
    for (const r of allowed) await this.emptyRoot(ctx, r.trashRootPath, itemsOf(r.space.id), r.space.name);
    ctx.progress({ fraction: 1 });
  }

  /** DELETE of one trash root; its known items are reported deleted once the server has done it. */
  private async emptyRoot(
    ctx: BatchContext,
    root: string,
    known: TrashItem[],
    spaceName: string | null,
  ): Promise<void> {
    if (spaceName === null)
      ctx.progress({ current: `Emptying the trash (${known.length.toLocaleString('en-US')} items)` });
    const emptied = async () => {
      const left: TrashItem[] = [];
      for await (const chunk of this.listing.listTrash(null, new AbortController().signal)) left.push(...chunk.items);
      const ids = new Set(left.map((i) => i.id));
      return known.every((i) => !ids.has(i.id));
    };
    const res = await this.s.send('DELETE', root, { signal: ctx.signal, idempotent: false, confirm: emptied });
    if (res.status !== 204 && res.status !== 200) {
      throw await this.s.failure(res, {
        403: spaceName
          ? `The server does not allow emptying the trash of ${spaceName} for this account.`
          : 'The server does not allow emptying the trash for this account (an administrator may have turned it off).',
      });
    }
    await res.body?.cancel();
    for (const item of known) ctx.itemDone(this.s.result(item, 'deleted', null), { bytes: item.size });
    if (spaceName === null) ctx.progress({ fraction: 1 });
  }
}
