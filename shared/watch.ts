import { z } from 'zod';
import { kindInfo } from './kinds';
import { folderLabel } from './location';
import type { AccountKind } from './model';
import { ErrorValue } from './result';

/**
 * The watch (electron/services/watch.ts): what main tells the window about it, and the words of its
 * notifications, written once for the desktop notification, the browser's and the command line.
 */

/** Minutes between two checks of every watched account. */
export const WATCH_INTERVAL = { min: 1, max: 1440, default: 5 } as const;
/** The warning before the trash forgets: items the server deletes for good within this many days. */
export const EXPIRY_WARNING_DAYS = 3;

/** A deletion event as an alert carries it (the window finds its items again by these). */
export const AlertEvent = z.object({
  id: z.string(),
  from: z.string(),
  to: z.string(),
  count: z.number(),
  bytes: z.number(),
  topFolder: z.string(),
  accounts: z.array(z.string()),
});
export type AlertEvent = z.infer<typeof AlertEvent>;

/** One thing the watch found: a burst of deletions, or items about to be deleted for good. */
export const WatchAlert = z.object({
  id: z.string(),
  kind: z.enum(['deletion', 'expiring']),
  accountId: z.string(),
  /**
   * The notification's first line and the rest ("2,140 files deleted from Home / Projects in 4 minutes", "Nextcloud,
   * alice").
   */
  title: z.string(),
  body: z.string(),
  /** When the watch found it (ISO 8601). */
  at: z.string(),
  event: AlertEvent.nullable(),
  /** 'expiring': how many items, and the end of the window they are deleted in (ISO 8601). */
  expiring: z.object({ count: z.number(), before: z.string() }).nullable(),
});
export type WatchAlert = z.infer<typeof WatchAlert>;

export const WatchAccountView = z.object({
  accountId: z.string(),
  enabled: z.boolean(),
  /**
   * What the last check asked: "activity feed", "space ETags", "trash total", or "listing" where the server offers
   * nothing smaller.
   */
  via: z.string().nullable(),
  lastCheckAt: z.string().nullable(),
  /** Why the last check failed; null when it did not. */
  error: ErrorValue.nullable(),
  /** Items the server will delete for good within EXPIRY_WARNING_DAYS, where it says when. */
  expiring: z.object({ count: z.number(), before: z.string() }).nullable(),
});
export type WatchAccountView = z.infer<typeof WatchAccountView>;

export const WatchView = z.object({
  intervalMinutes: z.number(),
  nextCheckAt: z.string().nullable(),
  accounts: z.array(WatchAccountView),
  /** What the watch found in this run, newest first. */
  alerts: z.array(WatchAlert),
  /** The alert the user asked to see (a notification clicked) that the window has not shown yet. */
  open: z.string().nullable(),
});
export type WatchView = z.infer<typeof WatchView>;

/** "Nextcloud, alice": the server kind (its product name from the kind registry) and who is signed in. */
export const accountShort = (account: { kind: AccountKind; userName: string }) =>
  `${kindInfo(account.kind).productName}, ${account.userName}`;

const count = (n: number) => n.toLocaleString('en-US');

/** "in 4 minutes", "within a minute", "in 2 hours". */
export function spanText(fromIso: string, toIso: string): string {
  const ms = Math.max(0, Date.parse(toIso) - Date.parse(fromIso));
  if (ms < 60_000) return 'within a minute';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `in ${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(ms / 3_600_000);
  return `in ${hours} hour${hours === 1 ? '' : 's'}`;
}

/** What the items of an event are: "files", "folders" or "items" (a mix), singular for one. */
export function itemsWord(n: number, kinds: { files: number; folders: number }): string {
  const word = kinds.folders === 0 ? 'file' : kinds.files === 0 ? 'folder' : 'item';
  return `${word}${n === 1 ? '' : 's'}`;
}

/** A deletion alert's words: "2,140 files deleted from Home / Projects in 4 minutes" and "Nextcloud, alice". */
export function deletionText(
  event: Pick<AlertEvent, 'count' | 'from' | 'to' | 'topFolder'>,
  kinds: { files: number; folders: number },
  account: { kind: AccountKind; userName: string },
): { title: string; body: string; line: string } {
  const from = event.topFolder ? ` from ${folderLabel(event.topFolder)}` : '';
  const title = `${count(event.count)} ${itemsWord(event.count, kinds)} deleted${from} ${spanText(event.from, event.to)}`;
  const body = accountShort(account);
  return { title, body, line: `${title} — ${body}` };
}

/** An expiry warning's words: "147 items will be deleted for good within 3 days" and "DocSpace, alice". */
export function expiringText(
  n: number,
  account: { kind: AccountKind; userName: string },
): { title: string; body: string; line: string } {
  const title = `${count(n)} item${n === 1 ? '' : 's'} will be deleted for good within ${EXPIRY_WARNING_DAYS} days`;
  const body = accountShort(account);
  return { title, body, line: `${title} — ${body}` };
}
