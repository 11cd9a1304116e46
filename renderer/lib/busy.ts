/** Holding back actions on items a batch is working on. Pure; tested in busy.test.ts. */
import type { OperationView } from '../../shared/model';

/**
 * The items of the batches that have not finished (queued, running, waiting for an answer), and which batch has each.
 */
export interface BusyItems {
  has(itemKey: string): boolean;
  /** The batch working on this item, if any. */
  batchOf(itemKey: string): OperationView | undefined;
  /** True when no batch works on any item (then nothing need be looked up, item by item). */
  readonly idle?: boolean;
}

export const noBusyItems: BusyItems = { has: () => false, batchOf: () => undefined, idle: true };

/**
 * Why a batch on these items cannot start now — a batch that has not finished is working on some
 * of them ("Restore 184 items to where they were" is still running on them) — or null.
 */
export function busyReason(items: readonly { key: string }[], busy: BusyItems): string | null {
  if (busy.idle) return null;
  let first: OperationView | undefined;
  let count = 0;
  for (const item of items) {
    const op = busy.batchOf(item.key);
    if (!op) continue;
    count += 1;
    first ??= op;
  }
  if (!first) return null;
  const which = `“${first.title}” is still ${first.state === 'queued' ? 'waiting to run' : 'running'}`;
  if (count === items.length) return items.length === 1 ? `${which} on this item` : `${which} on these items`;
  return `${which} on ${count} of these ${items.length.toLocaleString('en-US')} items`;
}

/** Why an account's trash cannot be emptied now: a batch of that account has not finished. */
export function accountBusyReason(accountId: string, label: string, ops: readonly OperationView[]): string | null {
  const op = ops.find(
    (o) => o.state !== 'done' && o.state !== 'cancelled' && o.state !== 'failed' && o.accountIds.includes(accountId),
  );
  return op ? `“${op.title}” is still running on ${label}` : null;
}
