import type { DeletionEvent } from '../../shared/events';
import type { TrashItem } from '../../shared/model';
import { EXPIRY_WARNING_DAYS, type WatchAlert } from '../../shared/watch';

/**
 * The deletion event of the window's own trash that a watch alert is about: the one of the alert's
 * account whose span overlaps the alert's most (the window finds events across every account it
 * shows, so an event it merged with another account's keeps the same span but not the same id).
 * null when none does (its items were restored since, or are not loaded yet).
 */
export function eventForAlert(alert: WatchAlert, events: readonly DeletionEvent[]): DeletionEvent | null {
  const a = alert.event;
  if (!a) return null;
  const same = events.find((e) => e.id === a.id);
  if (same) return same;
  const from = Date.parse(a.from);
  const to = Date.parse(a.to);
  let best: DeletionEvent | null = null;
  let bestOverlap = -1;
  for (const e of events) {
    if (!e.accounts.includes(alert.accountId)) continue;
    const overlap = Math.min(to, Date.parse(e.to)) - Math.max(from, Date.parse(e.from));
    if (overlap >= 0 && overlap > bestOverlap) {
      best = e;
      bestOverlap = overlap;
    }
  }
  return best;
}

/** The keys of an account's items the server deletes for good within EXPIRY_WARNING_DAYS of `now`. */
export function expiringKeys(items: readonly TrashItem[], accountId: string, now: number): string[] {
  const before = now + EXPIRY_WARNING_DAYS * 86_400_000;
  const out: string[] = [];
  for (const i of items) {
    if (i.accountId !== accountId || !i.expiresAt) continue;
    const t = Date.parse(i.expiresAt);
    if (t > now && t <= before) out.push(i.key);
  }
  return out;
}
