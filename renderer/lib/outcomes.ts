/**
 * How batches and their per-item outcomes read in the operations panel and the undo toast. Pure; tested in
 * outcomes.test.ts.
 */
import type { ItemResult, OperationView } from '../../shared/model';
import { formatCount, plural } from './format';

type Outcome = ItemResult['outcome'];
type Kind = OperationView['kind'];

export const OUTCOME_LABELS: Record<Outcome, string> = {
  restored: 'restored',
  renamed: 'restored under a new name',
  replaced: 'replaced',
  merged: 'merged',
  skipped: 'skipped',
  deleted: 'deleted',
  trashed: 'moved back to the trash',
  reverted: 'moved back to the trash; the file it replaced is back',
  kept: 'left in place',
  failed: 'failed',
  cancelled: 'not done (cancelled)',
};

/** Problems first, then what changed, then what was left alone. */
export const OUTCOME_ORDER: Outcome[] = [
  'failed',
  'cancelled',
  'kept',
  'renamed',
  'replaced',
  'merged',
  'restored',
  'reverted',
  'trashed',
  'deleted',
  'skipped',
];

/** Outcomes that mean a restore put the item back (what Undo can take back). */
export const RESTORED_OUTCOMES: ReadonlySet<Outcome> = new Set(['restored', 'renamed', 'replaced', 'merged']);

/** An undo batch from before 'trashed' existed reported its items as 'deleted' (or 'restored'). */
const undoOutcome = (outcome: Outcome, kind: Kind): Outcome =>
  kind === 'undo' && (outcome === 'deleted' || outcome === 'restored') ? 'trashed' : outcome;

/** One item's outcome as the details list says it. */
export const outcomeLabel = (outcome: Outcome, kind: Kind) => OUTCOME_LABELS[undoOutcome(outcome, kind)];

/** "2 restored, 1 failed" — the one line a batch card and the toast show. */
export function summarise(op: Pick<OperationView, 'kind' | 'results'>): string {
  const counts = new Map<Outcome, number>();
  for (const r of op.results) {
    const o = undoOutcome(r.outcome, op.kind);
    counts.set(o, (counts.get(o) ?? 0) + 1);
  }
  const n = (o: Outcome) => counts.get(o) ?? 0;
  if (op.kind === 'undo') {
    const moved = n('trashed') + n('reverted');
    const reverted = n('reverted');
    const parts: string[] = [];
    for (const o of ['failed', 'cancelled', 'kept'] as const)
      if (n(o)) parts.push(`${formatCount(n(o))} ${OUTCOME_LABELS[o]}`);
    if (moved) {
      let text = `${formatCount(moved)} moved back to the trash`;
      if (reverted === moved)
        text += moved === 1 ? '; the file it replaced is back' : '; the files they replaced are back';
      else if (reverted) text += ` (${plural(reverted, 'replaced file')} ${reverted === 1 ? 'is' : 'are'} back)`;
      parts.push(text);
    }
    for (const o of OUTCOME_ORDER)
      if (!['failed', 'cancelled', 'kept', 'trashed', 'reverted'].includes(o) && n(o))
        parts.push(`${formatCount(n(o))} ${OUTCOME_LABELS[o]}`);
    return parts.join(', ') || 'Nothing to do';
  }
  return (
    OUTCOME_ORDER.filter((o) => n(o))
      .map((o) => `${formatCount(n(o))} ${OUTCOME_LABELS[o]}`)
      .join(', ') || 'Nothing to do'
  );
}

/** The items a restore actually put back (restored, renamed, replaced, merged). */
export const restoredResults = (op: Pick<OperationView, 'results'>) =>
  op.results.filter((r) => RESTORED_OUTCOMES.has(r.outcome));

/** "Restored Budget 2026.xlsx" for one item, "Restored 8 items" for more: what Undo would take back. */
export function toastText(op: Pick<OperationView, 'results'>): string {
  const restored = restoredResults(op);
  if (restored.length === 1) return `Restored ${restored[0]!.name}`;
  return `Restored ${plural(restored.length, 'item')}`;
}

const finished = (op: OperationView) => op.state === 'done' || op.state === 'cancelled' || op.state === 'failed';

/**
 * The restore the undo toast is about: the newest restore, once finished, while it can still be
 * undone and the user has not closed its toast. Null as soon as an update says it cannot be undone.
 * With `since` (ms since the epoch: when the page was loaded), only a restore that finished after
 * it: one that ended before keeps its Undo on its card and gets no toast again.
 */
export function toastOperation(
  ops: readonly OperationView[],
  closed: ReadonlySet<string>,
  since = -Infinity,
): OperationView | null {
  const latest = ops.filter((o) => o.kind === 'restore').at(-1);
  if (!latest || !finished(latest) || !latest.undoable || closed.has(latest.id)) return null;
  if (latest.finishedAt !== null && Date.parse(latest.finishedAt) < since) return null;
  return restoredResults(latest).length > 0 ? latest : null;
}
