import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { isFinished, type ItemResult, type OperationView } from '../../shared/model';
import { useOperationCommands } from '../actions/operations';
import { textFor } from '../lib/errorText';
import { formatBytes, formatCount, plural } from '../lib/format';
import { OUTCOME_ORDER, outcomeLabel, summarise } from '../lib/outcomes';
import { operationQueries } from '../queries/operations';
import { ErrorLine } from './ErrorLine';

/** What a result line says after the outcome: where the item went, why it failed or stayed, and any note. */
function resultDetail(r: ItemResult): string {
  let text = '';
  if (r.finalPath) {
    if (r.outcome === 'restored') text += ` to ${r.finalPath}`;
    else if (r.outcome === 'renamed' || r.outcome === 'replaced' || r.outcome === 'merged') text += ` as ${r.finalPath}`;
    else if (r.outcome === 'kept') text += ` at ${r.finalPath}`;
  }
  if (r.error && (r.outcome === 'failed' || r.outcome === 'kept')) text += `: ${textFor(r.error.code, r.error.message)}`;
  return text;
}

function StateLine({ op }: { op: OperationView }) {
  if (op.state === 'queued') return <span>Waiting for the batch before it…</span>;
  if (op.state === 'needs-answer') return <span className="warn-text">Waiting for your answer about “{op.question?.name}”</span>;
  if (op.state === 'running')
    return (
      <span>
        {formatCount(op.done)} of {formatCount(op.total)}
        {op.bytesTotal ? ` · ${formatBytes(op.bytesDone)} of ${formatBytes(op.bytesTotal)}` : ''}
        {op.current ? ` · ${op.current}` : ''}
      </span>
    );
  if (op.state === 'failed') return <span className="error-text">Stopped: {op.error ? textFor(op.error.code, op.error.message) : 'unknown error'}</span>;
  if (op.state === 'cancelled') return <span>Cancelled — {summarise(op)}</span>;
  return <span>Done — {summarise(op)}</span>;
}

function OperationCard({ op }: { op: OperationView }) {
  const [open, setOpen] = useState(false);
  const { cancel, retry, undo, dismiss } = useOperationCommands(op.id);
  const finished = isFinished(op);
  const failed = op.results.filter((r) => r.outcome === 'failed' || r.outcome === 'cancelled').length;
  const pct = op.total ? Math.round((op.done / op.total) * 100) : finished ? 100 : 0;
  const sorted = [...op.results].sort((a, b) => OUTCOME_ORDER.indexOf(a.outcome) - OUTCOME_ORDER.indexOf(b.outcome));
  return (
    <li className={`op-card state-${op.state}`} aria-label={op.title} data-testid="operation">
      <div className="op-head">
        <strong className="op-title">{op.title}</strong>
        <div className="op-buttons">
          {!finished && (
            <button type="button" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
              Cancel
            </button>
          )}
          {finished && op.undoable && op.kind === 'restore' && (
            <button type="button" onClick={() => undo.mutate()} disabled={undo.isPending || undo.isSuccess}>
              Undo
            </button>
          )}
          {op.resumable ? (
            <button type="button" className="primary" onClick={() => retry.mutate()} disabled={retry.isPending || retry.isSuccess}>
              Resume
            </button>
          ) : (
            finished &&
            failed > 0 &&
            op.kind !== 'empty' &&
            op.kind !== 'undo' && (
              <button type="button" onClick={() => retry.mutate()} disabled={retry.isPending}>
                Retry failed
              </button>
            )
          )}
          {finished && op.results.length > 0 && (
            <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
              {open ? 'Hide details' : 'Details'}
            </button>
          )}
          {finished && (
            <button type="button" aria-label={`Dismiss ${op.title}`} onClick={() => dismiss.mutate()}>
              ✕
            </button>
          )}
        </div>
      </div>
      <div
        className="progress"
        role="progressbar"
        aria-label={`${op.title}: progress`}
        aria-valuemin={0}
        aria-valuemax={op.total}
        aria-valuenow={op.done}
        aria-valuetext={`${formatCount(op.done)} of ${formatCount(op.total)}`}
      >
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <div className="op-state" aria-live="polite" data-testid="operation-state">
        <StateLine op={op} />
      </div>
      {finished && op.kind === 'restore' && !op.undoable && op.undoNote && (
        <p className="op-undo-note" data-testid="undo-note">
          Can’t undo: {op.undoNote}
          {/[.!?]$/.test(op.undoNote) ? '' : '.'}
        </p>
      )}
      <ErrorLine error={cancel.error ?? retry.error ?? undo.error ?? dismiss.error} />
      {open && (
        <ul className="op-results" aria-label={`Results of ${op.title}`}>
          {sorted.slice(0, 500).map((r) => (
            <li key={r.key} className={`outcome-${r.outcome}`}>
              <span className="result-name">{r.name}</span> — {outcomeLabel(r.outcome, op.kind)}
              {resultDetail(r)}
              {r.note && <span className="result-note"> ({r.note})</span>}
            </li>
          ))}
          {sorted.length > 500 && <li>…and {plural(sorted.length - 500, 'more item')}</li>}
        </ul>
      )}
    </li>
  );
}

/** Every batch (restore, delete, empty, undo): progress, the current item, Cancel, and a per-item summary. */
export function OperationsPanel() {
  const ops = useQuery(operationQueries.list());
  const list = (ops.data ?? []).slice().reverse();
  if (list.length === 0) return null;
  return (
    <section className="operations-panel" aria-label="Operations">
      <ul>
        {list.map((op) => (
          <OperationCard key={op.id} op={op} />
        ))}
      </ul>
    </section>
  );
}
