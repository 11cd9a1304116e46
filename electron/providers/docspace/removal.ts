import type { TrashItem } from '../../../shared/model';
import type { BatchContext } from '../types';
import type { ApiCall } from './api';
import { OPERATION } from './dto';
import { deleteCall, fail, Progress, type FileOps } from './fileops';
import type { DocSpaceListing } from './listing';
import type { OperationEnd } from './operations';

/** Deleting for good (fileops/delete, immediately) and emptying the trash (fileops/emptytrash). */
export class DocSpaceRemoval {
  constructor(
    private readonly ops: FileOps,
    private readonly listing: DocSpaceListing,
  ) {}

  async remove(items: TrashItem[], ctx: BatchContext): Promise<void> {
    if (items.length === 0) return;
    const progress = new Progress(items.length, ctx);
    ctx.progress({ current: `Deleting ${items.length.toLocaleString('en-US')} item${items.length === 1 ? '' : 's'}` });
    const end = await this.ops.runOperation(
      OPERATION.Delete,
      deleteCall(items, { immediately: true }),
      (p) => progress.partial(items.length, p),
      ctx.signal,
    );
    progress.settle(items.length);
    await this.reportDeletions(items, end, ctx);
  }

  async empty(ctx: BatchContext, listed?: readonly TrashItem[]): Promise<void> {
    // Every item gets its own result: from the caller's fresh listing, else read here first.
    const known: TrashItem[] = listed ? [...listed] : [];
    if (!listed) {
      ctx.progress({ current: 'Reading the trash' });
      for await (const chunk of this.listing.listTrash(null, ctx.signal)) known.push(...chunk.items);
    }
    if (known.length === 0 || ctx.signal.aborted) return;
    const progress = new Progress(known.length, ctx);
    ctx.progress({ current: `Emptying the trash (${known.length.toLocaleString('en-US')} items)` });
    const emptyTrash: ApiCall = { method: 'PUT', path: 'files/fileops/emptytrash', query: { single: true } };
    const end = await this.ops.runOperation(
      OPERATION.Delete,
      emptyTrash,
      (p) => progress.partial(known.length, p),
      ctx.signal,
    );
    progress.settle(known.length);
    // The operation's own end says it all when it ended whole (no error, not cancelled): no
    // re-read of the trash. Otherwise the trash is read to see which items stayed.
    if (!end.error && !end.cancelled) {
      for (const item of known)
        ctx.itemDone({ key: item.key, name: item.name, outcome: 'deleted', finalPath: null, error: null });
      return;
    }
    await this.reportDeletions(known, end, ctx);
  }

  private async reportDeletions(items: TrashItem[], end: OperationEnd, ctx: BatchContext): Promise<void> {
    const where = await this.ops.locate(items.map((i) => i.id));
    for (const item of items) {
      if (where.get(item.id) !== 'trash') {
        ctx.itemDone({ key: item.key, name: item.name, outcome: 'deleted', finalPath: null, error: null });
      } else if (!end.cancelled) {
        ctx.itemDone(fail(item, 'SERVER', end.error || 'DocSpace did not delete it; it is still in the trash.'));
      }
    }
  }
}
