import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorText } from '../lib/errorText';
import { isFinished, operationActions, operationQueries, upsertOp } from '../queries/operations';
import { summarise } from './OperationsPanel';

/** After a restore: what happened, and an Undo that moves the restored items back to the trash. */
export function UndoToast() {
  const client = useQueryClient();
  const ops = useQuery(operationQueries.list());
  const [closed, setClosed] = useState<ReadonlySet<string>>(new Set());
  const latest = (ops.data ?? []).filter((o) => o.kind === 'restore').at(-1);
  const op = latest && isFinished(latest) && latest.undoable && !closed.has(latest.id) ? latest : null;
  const undo = useMutation({
    mutationFn: (id: string) => operationActions.undo(id),
    onSuccess: (view, id) => {
      upsertOp(client, view);
      setClosed((old) => new Set([...old, id]));
    },
  });
  if (!op) return null;
  return (
    <div className="toast" role="status" aria-label="Restore finished" data-testid="undo-toast">
      <span>{summarise(op)}.</span>
      <button type="button" className="primary" onClick={() => undo.mutate(op.id)} disabled={undo.isPending}>
        Undo
      </button>
      <button type="button" aria-label="Close" onClick={() => setClosed((old) => new Set([...old, op.id]))}>
        ✕
      </button>
      {undo.isError && <span className="error-text">{errorText(undo.error)}</span>}
    </div>
  );
}
