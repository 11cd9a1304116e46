import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useState, type FocusEvent } from 'react';
import type { OperationView } from '../../shared/model';
import { useUndo } from '../actions/operations';
import { useSeveralAccounts } from '../hooks/accountLook';
import { errorText } from '../lib/errorText';
import { toastOperation, toastText } from '../lib/outcomes';
import { operationQueries } from '../queries/operations';
import { AccountBadges } from './AccountBadge';

/** How long the toast stays when left alone; hovering or focusing it stops the clock. */
export const TOAST_MS = 10_000;

function Toast({ op, onClose }: { op: OperationView; onClose: () => void }) {
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);
  const undo = useUndo(op.id, onClose);
  const several = useSeveralAccounts();

  const paused = hovered || focused || undo.isPending || undo.isError;
  useEffect(() => {
    if (paused) return;
    // The full time again after each pause: the user was just looking at it.
    const timer = setTimeout(onClose, TOAST_MS);
    return () => clearTimeout(timer);
  }, [paused, onClose]);

  const onBlur = (e: FocusEvent<HTMLDivElement>) => {
    if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setFocused(false);
  };
  return (
    <div
      className="toast"
      role="status"
      aria-label="Restore finished"
      data-testid="undo-toast"
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
      onFocus={() => setFocused(true)}
      onBlur={onBlur}
    >
      <span className="toast-text">{toastText(op)}</span>
      {several && <AccountBadges accountIds={op.accountIds} />}
      <button type="button" className="primary" onClick={() => undo.mutate()} disabled={undo.isPending}>
        Undo
      </button>
      <button type="button" aria-label="Close" onClick={onClose}>
        ✕
      </button>
      {undo.isError && <span className="error-text">{errorText(undo.error)}</span>}
    </div>
  );
}

/**
 * After a restore: what it put back ("Restored Budget 2026.xlsx", "Restored 8 items") and an Undo
 * that moves those items back to the trash. It goes away on its own after ten seconds (never while
 * hovered or focused), and at once when an update says the restore can no longer be undone. The
 * operations panel keeps the batch, with its Undo, for as long as undo is possible.
 */
export function UndoToast() {
  const ops = useQuery(operationQueries.list());
  const [closed, setClosed] = useState<ReadonlySet<string>>(new Set());
  // Only a restore that ended while this page was open gets a toast: one that ended before the
  // page was (re)loaded keeps its Undo on its card, and does not pop up again on every load.
  const op = toastOperation(ops.data ?? [], closed, performance.timeOrigin);
  const id = op?.id ?? null;
  const close = useCallback(() => {
    if (id) setClosed((old) => new Set([...old, id]));
  }, [id]);
  if (!op) return null;
  return <Toast key={op.id} op={op} onClose={close} />;
}
