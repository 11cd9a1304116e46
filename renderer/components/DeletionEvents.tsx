import type { DeletionEvent } from '../../shared/events';

/**
 * Bursts of deletions, one line each ("Tue 28 Nov, 14:02–14:05 · 3,214 items · 1.2 GB · mostly
 * /Projects/Client X · Nextcloud (work)"): choosing one selects its items and shows its span;
 * "Restore this event" puts them back where they were.
 */
export function DeletionEvents({
  events,
  summaryOf,
  current,
  onSelect,
  onRestore,
  disabledFor,
}: {
  events: readonly DeletionEvent[];
  summaryOf: (e: DeletionEvent) => string;
  /** The event last chosen, if its span is still the date filter. */
  current: string | null;
  onSelect: (e: DeletionEvent) => void;
  onRestore: (e: DeletionEvent) => void;
  /** Why this event cannot be restored right now (a workflow runs, a batch works on its items), or null. */
  disabledFor: (e: DeletionEvent) => string | null;
}) {
  if (events.length === 0) return <p className="deletion-events empty muted">No bursts of deletions found.</p>;
  return (
    <ul className="deletion-events" aria-label="Deletion events" data-testid="deletion-events">
      {events.map((e, index) => {
        const summary = summaryOf(e);
        const disabled = disabledFor(e);
        return (
          <li key={e.id} className={current === e.id ? 'current' : undefined} data-testid="deletion-event">
            <button
              type="button"
              className="event-summary"
              aria-pressed={current === e.id}
              onClick={() => onSelect(e)}
              title={summary}
            >
              {summary}
            </button>
            <button
              type="button"
              className="event-restore"
              onClick={() => onRestore(e)}
              disabled={disabled !== null}
              title={disabled ?? undefined}
              aria-label={`Restore this event: ${summary}`}
              aria-describedby={disabled ? `event-wait-${index}` : undefined}
            >
              Restore this event
            </button>
            {disabled && (
              <span className="event-wait muted" id={`event-wait-${index}`} data-testid="event-wait">
                {disabled}
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
