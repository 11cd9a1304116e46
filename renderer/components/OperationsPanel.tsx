import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { isFinished, parseItemKey, type ItemResult, type OperationView } from '../../shared/model';
import { useClearFinished, useOperationCommands } from '../actions/operations';
import { arrangeActivity, failedCount, finishedLine, progressParts } from '../lib/activity';
import { textFor } from '../lib/errorText';
import { formatBytes, formatCount, plural } from '../lib/format';
import { OUTCOME_ORDER, outcomeLabel, summarise } from '../lib/outcomes';
import { useSeveralAccounts } from '../hooks/accountLook';
import { busyReason, type BusyItems } from '../lib/busy';
import { useMediaQuery } from '../hooks/useMediaQuery';
import { operationQueries, useBusyItems } from '../queries/operations';
import { AccountBadge, AccountBadges } from './AccountBadge';
import { ErrorLine } from './ErrorLine';
import { SHORT_WINDOW } from './trashGrid';
import { folderLabel } from '../../shared/location';
import { formatPace } from '../../shared/pace';

/** What a result line says after the outcome: where the item went, why it failed or stayed, and any note. */
function resultDetail(r: ItemResult): string {
  let text = '';
  if (r.finalPath) {
    if (r.outcome === 'restored') text += ` to ${folderLabel(r.finalPath)}`;
    else if (r.outcome === 'renamed' || r.outcome === 'replaced' || r.outcome === 'merged')
      text += ` as ${folderLabel(r.finalPath)}`;
    else if (r.outcome === 'kept') text += ` at ${folderLabel(r.finalPath)}`;
  }
  if (r.error && (r.outcome === 'failed' || r.outcome === 'kept'))
    text += `: ${textFor(r.error.code, r.error.message)}`;
  if (r.movableTo) text += ` — it belongs at ${folderLabel(r.movableTo)}`;
  return text;
}

function StateLine({ op }: { op: OperationView }) {
  if (op.state === 'queued') return <span>Waiting for the batch before it…</span>;
  if (op.state === 'needs-answer')
    return <span className="warn-text">Waiting for your answer about “{op.question?.name}”</span>;
  const pace = formatPace(op.rate, op.secondsLeft);
  if (op.state === 'running')
    return (
      <span>
        {formatCount(op.done)} of {formatCount(op.total)}
        {op.bytesTotal ? ` · ${formatBytes(op.bytesDone)} of ${formatBytes(op.bytesTotal)}` : ''}
        {pace ? <span data-testid="operation-pace">{` · ${pace}`}</span> : null}
        {op.current ? ` · ${op.current}` : ''}
      </span>
    );
  if (op.state === 'failed')
    return (
      <span className="error-text">
        Stopped: {op.error ? textFor(op.error.code, op.error.message) : 'unknown error'}
      </span>
    );
  if (op.state === 'cancelled') return <span>Cancelled — {summarise(op)}</span>;
  return <span>Done — {summarise(op)}</span>;
}

/**
 * One item of a batch's results: its account (when the batch spans several), its name as the user knows it, what
 * happened and where.
 */
function ResultLine({ r, op, accountShown }: { r: ItemResult; op: OperationView; accountShown: boolean }) {
  return (
    <li className={`outcome-${r.outcome}`}>
      {accountShown && <AccountBadge accountId={parseItemKey(r.key).accountId} />}
      <span className="result-name">{r.name}</span> — {outcomeLabel(r.outcome, op.kind)}
      {resultDetail(r)}
      {r.note && <span className="result-note"> ({r.note})</span>}
    </li>
  );
}

function OperationCard({ op, busy }: { op: OperationView; busy: BusyItems }) {
  const [open, setOpen] = useState(false);
  const { cancel, retry, undo, dismiss, moveToListed } = useOperationCommands(op.id);
  const finished = isFinished(op);
  const elsewhere = op.kind === 'restore' ? op.results.filter((r) => r.movableTo).length : 0;
  const failed = failedCount(op);
  const parts = progressParts(op);
  const sorted = [...op.results].sort((a, b) => OUTCOME_ORDER.indexOf(a.outcome) - OUTCOME_ORDER.indexOf(b.outcome));
  // Retrying while an earlier retry of the same items still runs would start a second batch on them.
  const retryHeld = finished
    ? busyReason(
        op.results.filter((r) => r.outcome === 'failed' || r.outcome === 'cancelled'),
        busy,
      )
    : null;
  const several = useSeveralAccounts();
  const accountsShown = several && new Set(op.accountIds).size > 1;
  return (
    <li
      className={`op-card state-${op.state}${finished ? ' finished' : ''}`}
      aria-label={op.title}
      data-testid="operation"
    >
      <div className="op-head">
        <span className="op-name">
          {several && <AccountBadges accountIds={op.accountIds} />}
          <strong className="op-title" title={op.title}>
            {op.title}
          </strong>
        </span>
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
            <button
              type="button"
              className="primary"
              onClick={() => retry.mutate()}
              disabled={retry.isPending || retry.isSuccess || retryHeld !== null}
              title={retryHeld ?? undefined}
            >
              Resume
            </button>
          ) : (
            finished &&
            failed > 0 &&
            op.kind !== 'empty' &&
            op.kind !== 'undo' && (
              <button
                type="button"
                onClick={() => retry.mutate()}
                disabled={retry.isPending || retryHeld !== null}
                title={retryHeld ?? undefined}
              >
                Retry failed
              </button>
            )
          )}
          {finished && elsewhere > 0 && (
            <button
              type="button"
              onClick={() => moveToListed.mutate()}
              disabled={moveToListed.isPending || moveToListed.isSuccess}
              title="The server put these back where the first of several same-named files deleted in the same second was; move them where the list showed them"
            >
              Move {elsewhere === 1 ? 'it' : plural(elsewhere, 'item')} where{' '}
              {elsewhere === 1 ? 'it belongs' : 'they belong'}
            </button>
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
        <div className="progress-fill" style={{ width: `${parts.ok}%` }} />
        {parts.failed > 0 && (
          <div className="progress-failed" data-testid="progress-failed" style={{ width: `${parts.failed}%` }} />
        )}
      </div>
      <div className="op-state" aria-live="polite" data-testid="operation-state">
        <StateLine op={op} />
      </div>
      {retryHeld && (
        <p className="op-undo-note" data-testid="retry-held">
          Retry waits: {retryHeld}.
        </p>
      )}
      {finished && op.kind === 'restore' && !op.undoable && op.undoNote && (
        <p className="op-undo-note" data-testid="undo-note">
          Can’t undo: {op.undoNote}
          {/[.!?]$/.test(op.undoNote) ? '' : '.'}
        </p>
      )}
      <ErrorLine error={cancel.error ?? retry.error ?? undo.error ?? dismiss.error ?? moveToListed.error} />
      {open && (
        <ul className="op-results" aria-label={`Results of ${op.title}`}>
          {sorted.slice(0, 500).map((r) => (
            <ResultLine key={r.key} r={r} op={op} accountShown={accountsShown} />
          ))}
          {sorted.length > 500 && <li>…and {plural(sorted.length - 500, 'more item')}</li>}
        </ul>
      )}
    </li>
  );
}

/** "3 more batches finished · 1 with failures", with Show and Clear finished. */
function FinishedLine({
  older,
  finishedIds,
  showOlder,
  onShowOlder,
}: {
  older: OperationView[];
  finishedIds: string[];
  showOlder: boolean;
  onShowOlder: (show: boolean) => void;
}) {
  const clear = useClearFinished();
  return (
    <>
      <div className="op-finished" data-testid="finished-line">
        <span className={older.some((op) => op.state === 'failed' || failedCount(op) > 0) ? 'error-text' : 'muted'}>
          {older.length > 0 ? finishedLine(older) : ''}
        </span>
        {older.length > 0 && (
          <button type="button" className="link" aria-expanded={showOlder} onClick={() => onShowOlder(!showOlder)}>
            {showOlder ? 'Hide' : 'Show'}
          </button>
        )}
        <span className="spacer" />
        <button
          type="button"
          onClick={() => clear.mutate(finishedIds)}
          disabled={clear.isPending || finishedIds.length === 0}
        >
          Clear finished
        </button>
      </div>
      <ErrorLine error={clear.error} />
    </>
  );
}

/**
 * Every batch (restore, delete, empty, undo): running ones on top with progress, the current item
 * and Cancel; the newest finished one as a card; older finished ones folded into one line
 * ("3 more batches finished · 1 with failures") that opens them and clears them. In a short window
 * it takes one line — the batch that matters most — and the others open over the list on demand,
 * so the list keeps its rows.
 */
export function OperationsPanel() {
  const ops = useQuery(operationQueries.list());
  const busy = useBusyItems();
  const [showOlder, setShowOlder] = useState(false);
  const [showAll, setShowAll] = useState(false);
  const short = useMediaQuery(SHORT_WINDOW);
  const { active, latest, older } = arrangeActivity((ops.data ?? []).slice().reverse());
  if (!active.length && !latest) return null;
  const finishedIds = [...(latest ? [latest] : []), ...older].map((op) => op.id);
  const cards = [...active, ...(latest ? [latest] : [])];
  const olderList = older.length > 0 && showOlder && (
    <ul className="op-older" aria-label="Earlier batches">
      {older.map((op) => (
        <OperationCard key={op.id} op={op} busy={busy} />
      ))}
    </ul>
  );
  if (short) {
    const [first, ...rest] = cards;
    const more = rest.length + older.length;
    return (
      <section className="operations-panel compact" aria-label="Operations">
        {showAll && (
          <div className="op-overlay" role="region" aria-label="Other batches" data-testid="op-overlay">
            {/* Opened on demand already: every other batch as a card, not folded a second time. */}
            <ul className="op-cards">
              {[...rest, ...older].map((op) => (
                <OperationCard key={op.id} op={op} busy={busy} />
              ))}
            </ul>
            <FinishedLine older={[]} finishedIds={finishedIds} showOlder={false} onShowOlder={setShowOlder} />
          </div>
        )}
        <div className="op-tray">
          <ul className="op-cards">{first && <OperationCard key={first.id} op={first} busy={busy} />}</ul>
          {(more > 0 || showAll) && (
            <button
              type="button"
              className="op-more"
              aria-expanded={showAll}
              onClick={() => setShowAll(!showAll)}
              data-testid="op-more"
            >
              {showAll ? 'Hide ▾' : `${plural(more, 'more batch', 'more batches')} ▴`}
            </button>
          )}
        </div>
      </section>
    );
  }
  return (
    <section className="operations-panel" aria-label="Operations">
      <ul className="op-cards">
        {cards.map((op) => (
          <OperationCard key={op.id} op={op} busy={busy} />
        ))}
      </ul>
      {olderList}
      <FinishedLine older={older} finishedIds={finishedIds} showOlder={showOlder} onShowOlder={setShowOlder} />
    </section>
  );
}
