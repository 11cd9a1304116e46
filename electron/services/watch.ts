import { randomUUID } from 'node:crypto';
import { filterSliced } from '../base/async';
import { isAppError, toErrorValue } from '../base/errors';
import type { EventBus } from '../base/events';
import { detectEvents, type DeletionEvent, type DetectOptions } from '../../shared/events';
import type { AccountView, TrashItem } from '../../shared/model';
import {
  deletionText,
  EXPIRY_WARNING_DAYS,
  expiringText,
  WATCH_INTERVAL,
  type WatchAccountView,
  type WatchAlert,
  type WatchView,
} from '../../shared/watch';
import type { TrashChangeCheck, TrashProvider } from '../providers/types';
import type { AccountsService } from './accounts';
import type { StartupNotice } from './stores';
import type { TrashService } from './trash';
import {
  newAccountState,
  readNewest,
  readWhole,
  replaceKnown,
  timeOf,
  type AccountState,
  type Known,
} from './watch-read';

/**
 * The watch: every few minutes (WATCH_INTERVAL) each watched account's trash is checked with the
 * cheapest request its server offers (TrashProvider.checkTrashChanges: an activity feed, the
 * spaces' ETags, the trash's total), and only when that says something went into the trash is
 * what is new read — newest first where the server sorts its trash (DocSpace), else one listing,
 * served page by page like the window's (TrashService.page). Deletion events are found on what is
 * new together with what was known (shared/events.ts detectEvents); an event made mostly of new
 * items is announced once ('watch:alert' on the bus: the desktop host shows a notification, the
 * window the browser's, the command line a JSON line). Once a day the items the server will delete
 * for good within EXPIRY_WARNING_DAYS are announced quietly.
 *
 * Cost, per account and check, when nothing happened: one request (a 304 without a body on
 * Nextcloud and ownCloud 10, ~1 KB of JSON on DocSpace and oCIS), whatever the size of the trash.
 * What that request cannot see is caught by a full listing once a day (`auditEveryMs`); when such
 * a listing finds deletions the cheap check missed (ownCloud 10 with the deletion stream turned off
 * in the user's activity settings), the account is read by listing from then on.
 *
 * Activity feeds count deletions: fewer than LIST_AFTER_DELETIONS since the last reading cannot make
 * an event (detectEvents needs 10 items at least), so they wait for more, or for the daily listing.
 *
 * Salvage's own moves into the trash (Undo, a Replace) are no deletions: `ownMoves` recognises them.
 * The watch keeps per account only what detectEvents needs of each item (key, time, size, folder,
 * kind, expiry), from listings it reads chunk by chunk (watch-read.ts: that state and the readings).
 */

/** Deletions an activity feed must report before the trash is read (an event needs at least 10 items). */
export const LIST_AFTER_DELETIONS = 10;
/** A full listing at least this often, whatever the cheap check says. */
export const AUDIT_EVERY_MS = 24 * 3_600_000;
/**
 * How much earlier than the last check of the previous run a deletion may be stamped and still count as new (server
 * clocks).
 */
const CLOCK_SKEW_MS = 2 * 60_000;
/** Alerts kept for the window. */
const ALERTS_KEPT = 50;
/** Event ids remembered as announced, per account, across runs. */
const ANNOUNCED_KEPT = 200;
const DAY = 86_400_000;

export interface WatchClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock = (keepAlive = false): WatchClock => ({
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    if (!keepAlive) t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
});

/** What the watch keeps between runs, per account: the setting and where it stopped. */
export interface WatchAccountRecord {
  /** The user's setting; absent: on for accounts the user added, off for the demo. */
  enabled?: boolean;
  /**
   * When the last check that read the trash or found nothing new began (ms); what was deleted after it is new at the
   * next start.
   */
  checkedAt?: number;
  /** When the expiry warning was last given (ms). */
  warnedAt?: number;
  /** Ids of events already announced. */
  announced?: string[];
}

export interface WatchFile {
  intervalMinutes: number;
  accounts: Record<string, WatchAccountRecord>;
}

/** Where the watch's settings live: with the accounts (persistence/watch-store.ts) or in memory. */
export interface WatchStore {
  load(): WatchFile;
  save(file: WatchFile): void;
  /** Problems found while loading, for the startup notices. */
  notices?(): StartupNotice[];
}

export class MemoryWatchStore implements WatchStore {
  private file: WatchFile = { intervalMinutes: WATCH_INTERVAL.default, accounts: {} };
  load(): WatchFile {
    return structuredClone(this.file);
  }
  save(file: WatchFile): void {
    this.file = structuredClone(file);
  }
}

/** Recognises the items Salvage itself put into the trash (services/ledger.ts once merged; watch-own.ts until then). */
export interface OwnMoves {
  isOwn(item: TrashItem): boolean;
}

/** What one check of one account did (tests and the command line read it). */
export interface CheckResult {
  accountId: string;
  change: TrashChangeCheck['change'] | 'first';
  /** How the trash was read: not at all, newest first, or whole. */
  read: 'none' | 'newest' | 'listing';
  newItems: number;
  alerts: WatchAlert[];
}

export interface WatchServiceOptions {
  accounts: AccountsService;
  trash: TrashService;
  bus: EventBus;
  store?: WatchStore;
  clock?: WatchClock;
  ownMoves?: OwnMoves;
  auditEveryMs?: number;
  detect?: DetectOptions;
}

export class WatchService {
  private readonly store: WatchStore;
  private file: WatchFile;
  private readonly clock: WatchClock;
  private readonly states = new Map<string, AccountState>();
  private alertList: WatchAlert[] = [];
  private timer: unknown = null;
  private nextAt: number | null = null;
  private running: Promise<void> | null = null;
  private started = false;
  private openRequest: string | null = null;

  constructor(private readonly options: WatchServiceOptions) {
    this.store = options.store ?? new MemoryWatchStore();
    this.file = this.store.load();
    this.clock = options.clock ?? systemClock();
  }

  // ------------------------------------------------------------------ settings and view

  private enabled(account: Pick<AccountView, 'id' | 'demo'>): boolean {
    return this.file.accounts[account.id]?.enabled ?? !account.demo;
  }

  private get intervalMs(): number {
    return this.file.intervalMinutes * 60_000;
  }

  view(): WatchView {
    const accounts: WatchAccountView[] = this.options.accounts.list().map((a) => {
      const st = this.states.get(a.id);
      return {
        accountId: a.id,
        enabled: this.enabled(a),
        via: st ? (st.mode === 'listing' ? 'listing' : st.via) : null,
        lastCheckAt: st?.lastCheckAt ? new Date(st.lastCheckAt).toISOString() : null,
        error: st?.error ?? null,
        expiring: st ? this.expiring(st) : null,
      };
    });
    return {
      intervalMinutes: this.file.intervalMinutes,
      nextCheckAt: this.nextAt === null ? null : new Date(this.nextAt).toISOString(),
      accounts,
      alerts: [...this.alertList],
      open: this.openRequest,
    };
  }

  /** A notification was clicked: the window is to show this alert (now, or when it has loaded). */
  requestOpen(alertId: string): void {
    this.openRequest = alertId;
    this.options.bus.emit('watch:open', { alertId });
    this.changed();
  }

  /** The window showed it. */
  opened(alertId: string): WatchView {
    if (this.openRequest === alertId) this.openRequest = null;
    return this.changed();
  }

  alerts(): WatchAlert[] {
    return [...this.alertList];
  }

  /** Turns the watch of one account on or off, and/or sets the interval (minutes). */
  set(change: {
    accountId?: string | undefined;
    enabled?: boolean | undefined;
    intervalMinutes?: number | undefined;
  }): WatchView {
    if (change.intervalMinutes !== undefined) {
      this.file.intervalMinutes = Math.min(
        WATCH_INTERVAL.max,
        Math.max(WATCH_INTERVAL.min, Math.round(change.intervalMinutes)),
      );
      if (this.started) this.schedule(this.intervalMs);
    }
    if (change.accountId !== undefined && change.enabled !== undefined) {
      this.options.accounts.config(change.accountId); // NOT_FOUND for an unknown account
      const rec = (this.file.accounts[change.accountId] ??= {});
      rec.enabled = change.enabled;
      // Off: forget what was read; on again: the next check starts afresh from the trash as it is then.
      if (!change.enabled) this.states.delete(change.accountId);
    }
    this.save();
    return this.changed();
  }

  forgetAccount(accountId: string): void {
    this.states.delete(accountId);
    delete this.file.accounts[accountId];
    this.alertList = this.alertList.filter((a) => a.accountId !== accountId);
    this.save();
  }

  dismiss(alertId: string): void {
    this.alertList = this.alertList.filter((a) => a.id !== alertId);
    this.changed();
  }

  private save(): void {
    try {
      this.store.save(this.file);
    } catch (e) {
      console.error(`Salvage could not save the watch's settings: ${(e as Error).message}`);
    }
  }

  private changed(): WatchView {
    const view = this.view();
    this.options.bus.emit('watch:changed', view);
    return view;
  }

  // ------------------------------------------------------------------ schedule

  /** Checks every watched account now and then every interval (the first round soon, to learn what is there). */
  start(firstInMs = 5_000): void {
    this.started = true;
    this.schedule(firstInMs);
  }

  stop(): void {
    this.started = false;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.nextAt = null;
  }

  private schedule(ms: number): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.nextAt = this.clock.now() + ms;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      void this.round().finally(() => {
        if (this.started) this.schedule(this.intervalMs);
        this.changed();
      });
    }, ms);
  }

  /** One check of every watched account, one after another (a round already running is joined). */
  round(): Promise<void> {
    if (this.running) return this.running;
    const run = (async () => {
      for (const account of this.options.accounts.list()) {
        if (!this.enabled(account)) continue;
        await this.check(account.id).catch(() => undefined); // the error is on the account's state
      }
    })();
    this.running = run.finally(() => {
      this.running = null;
    });
    return this.running;
  }

  // ------------------------------------------------------------------ one check

  private state(accountId: string): AccountState {
    let st = this.states.get(accountId);
    if (!st) {
      st = newAccountState();
      this.states.set(accountId, st);
    }
    return st;
  }

  /** Checks one account (watched or not: the command line's `watch` and `events` call it directly). */
  async check(accountId: string): Promise<CheckResult> {
    const account = this.options.accounts.list().find((a) => a.id === accountId);
    if (!account) throw new Error('That account no longer exists.');
    const st = this.state(accountId);
    const began = this.clock.now();
    try {
      const result = await this.options.accounts.withProvider(accountId, (p) =>
        st.known ? this.again(p, account, st) : this.first(p, account, st),
      );
      st.error = null;
      st.lastCheckAt = began;
      (this.file.accounts[accountId] ??= {}).checkedAt = began;
      result.alerts.push(...this.expiryWarning(account, st));
      this.save();
      return result;
    } catch (e) {
      st.error = toErrorValue(e);
      st.lastCheckAt = began;
      throw e;
    }
  }

  /**
   * The first check of this run: where the cheap check starts, then the whole trash; what came while Salvage was not
   * watching is new.
   */
  private async first(p: TrashProvider, account: AccountView, st: AccountState): Promise<CheckResult> {
    const probe = await this.probe(p, null);
    st.cursor = probe.cursor;
    st.via = probe.via;
    st.mode = probe.change === 'unsupported' ? 'listing' : 'cheap';
    // The listing the window is reading (or just read) serves, rather than a second read of the same trash.
    const { items, joined } = await this.options.trash.wholeTopLevel(account.id);
    const since = this.file.accounts[account.id]?.checkedAt;
    const fresh =
      since === undefined
        ? []
        : await filterSliced(items, (i) => timeOf(i.deletedAt) > since - CLOCK_SKEW_MS && !this.own(i));
    await replaceKnown(st, items);
    st.listedAt = this.clock.now();
    // A listing begun before the probe may lack a deletion made between the two, which no cheap check
    // will report: the daily reading finding it must not be taken for a check that cannot see.
    st.quietSinceListing = !joined;
    st.pending = 0;
    // Events there before are not news; those of deletions since the last run are.
    const announcedBefore = new Set(this.file.accounts[account.id]?.announced ?? []);
    const alerts = this.announce(account, st, new Set(fresh.map((i) => i.key)), announcedBefore);
    return { accountId: account.id, change: 'first', read: 'listing', newItems: fresh.length, alerts };
  }

  private async probe(p: TrashProvider, since: string | null): Promise<TrashChangeCheck> {
    if (!p.checkTrashChanges) return { cursor: null, change: 'unsupported', deletions: null, via: 'listing' };
    try {
      return await p.checkTrashChanges(since);
    } catch (e) {
      // The cheap check failing once (an odd answer) is no reason not to look: read the trash.
      if (isAppError(e) && (e.code === 'BAD_RESPONSE' || e.code === 'SERVER'))
        return { cursor: null, change: 'unknown', deletions: null, via: 'listing' };
      throw e;
    }
  }

  private async again(p: TrashProvider, account: AccountView, st: AccountState): Promise<CheckResult> {
    let change: TrashChangeCheck['change'] = 'unknown';
    let read = st.mode === 'listing';
    if (st.mode === 'cheap') {
      const r = await this.probe(p, st.cursor);
      change = r.change;
      if (r.cursor !== null || r.change === 'unsupported') st.cursor = r.cursor;
      st.via = r.via;
      if (r.change !== 'same') st.quietSinceListing = false;
      if (r.change === 'unsupported') {
        st.mode = 'listing';
        read = true;
      } else if (r.change === 'unknown') read = true;
      else if (r.change === 'changed') {
        if (r.deletions === null) read = true;
        else {
          st.pending += r.deletions;
          read = st.pending >= LIST_AFTER_DELETIONS;
        }
      }
    }
    const audit = this.clock.now() - st.listedAt >= (this.options.auditEveryMs ?? AUDIT_EVERY_MS);
    if (!read && !audit) return { accountId: account.id, change, read: 'none', newItems: 0, alerts: [] };

    let fresh: TrashItem[];
    let how: CheckResult['read'];
    if (!audit && st.mode === 'cheap' && p.listTrashNewest && Number.isFinite(st.newest)) {
      how = 'newest';
      fresh = await readNewest(p, st).catch(async (e: unknown) => {
        if (!(e instanceof RangeError)) throw e;
        how = 'listing'; // more news than a few pages: read it all
        return readWhole(this.options.trash, account.id, st, () => this.clock.now());
      });
    } else {
      const quiet = st.quietSinceListing && st.mode === 'cheap';
      fresh = await readWhole(this.options.trash, account.id, st, () => this.clock.now());
      how = 'listing';
      // The daily listing found deletions while the cheap check kept saying 'same': ask it once more
      // (they may have happened just now); if it still sees nothing, it cannot see them here.
      if (audit && quiet && fresh.length > 0) {
        const r = await this.probe(p, st.cursor);
        if (r.change === 'same') st.mode = 'listing';
        else if (r.cursor !== null) st.cursor = r.cursor;
      }
    }
    st.pending = 0;
    const mine = fresh.filter((i) => !this.own(i));
    const alerts = this.announce(account, st, new Set(mine.map((i) => i.key)), new Set());
    return { accountId: account.id, change, read: how, newItems: mine.length, alerts };
  }

  /**
   * Salvage's own move: the ledger says so (services/ledger.ts, on every listing it reads), else the recent moves the
   * runner told of.
   */
  private own(item: TrashItem): boolean {
    if (item.movedBySalvage) return true;
    return this.options.ownMoves?.isOwn(item) ?? false;
  }
  // ------------------------------------------------------------------ events and warnings

  /**
   * Finds the events of the account's trash and announces those made mostly of new items and not
   * announced before; an event that only grew is not announced again.
   */
  private announce(
    account: AccountView,
    st: AccountState,
    fresh: ReadonlySet<string>,
    announcedIds: ReadonlySet<string>,
  ): WatchAlert[] {
    const items = [...st.known!.values()];
    const events = detectEvents(items, this.options.detect);
    const alerts: WatchAlert[] = [];
    const record = (this.file.accounts[account.id] ??= {});
    for (const e of events) {
      let fromNew = 0;
      let before = false;
      for (const k of e.keys) {
        if (fresh.has(k)) fromNew++;
        else if (st.announced.has(k)) before = true;
      }
      const isNews = fromNew * 2 >= e.count && !before && !announcedIds.has(e.id);
      for (const k of e.keys) st.announced.add(k);
      if (!isNews) continue;
      const alert = this.deletionAlert(account, e, st);
      alerts.push(alert);
      record.announced = [...(record.announced ?? []), e.id].slice(-ANNOUNCED_KEPT);
    }
    for (const a of alerts) this.push(a);
    return alerts;
  }

  private deletionAlert(account: AccountView, e: DeletionEvent, st: AccountState): WatchAlert {
    const byKey = new Map<string, Known>();
    for (const k of st.known!.values()) byKey.set(k.key, k);
    let files = 0;
    let folders = 0;
    for (const key of e.keys) {
      if (byKey.get(key)?.kind === 'folder') folders++;
      else files++;
    }
    const text = deletionText(e, { files, folders }, account);
    return {
      id: randomUUID(),
      kind: 'deletion',
      accountId: account.id,
      title: text.title,
      body: text.body,
      at: new Date(this.clock.now()).toISOString(),
      event: {
        id: e.id,
        from: e.from,
        to: e.to,
        count: e.count,
        bytes: e.bytes,
        topFolder: e.topFolder,
        accounts: e.accounts,
      },
      expiring: null,
    };
  }

  /** Items the server will delete for good within EXPIRY_WARNING_DAYS (where it says when). */
  private expiring(st: AccountState): { count: number; before: string } | null {
    if (!st.known) return null;
    const now = this.clock.now();
    const before = now + EXPIRY_WARNING_DAYS * DAY;
    let count = 0;
    for (const k of st.known.values()) {
      const t = timeOf(k.expiresAt);
      if (t > now && t <= before) count++;
    }
    return count ? { count, before: new Date(before).toISOString() } : null;
  }

  /** Once a day per account, quietly: what the trash will forget soon. */
  private expiryWarning(account: AccountView, st: AccountState): WatchAlert[] {
    const soon = this.expiring(st);
    const record = (this.file.accounts[account.id] ??= {});
    const now = this.clock.now();
    if (!soon || (record.warnedAt !== undefined && now - record.warnedAt < DAY)) return [];
    record.warnedAt = now;
    const text = expiringText(soon.count, account);
    const alert: WatchAlert = {
      id: randomUUID(),
      kind: 'expiring',
      accountId: account.id,
      title: text.title,
      body: text.body,
      at: new Date(now).toISOString(),
      event: null,
      expiring: soon,
    };
    this.push(alert);
    return [alert];
  }

  private push(alert: WatchAlert): void {
    this.alertList = [
      alert,
      ...this.alertList.filter(
        (a) => !(alert.kind === 'expiring' && a.kind === 'expiring' && a.accountId === alert.accountId),
      ),
    ].slice(0, ALERTS_KEPT);
    this.options.bus.emit('watch:alert', alert);
  }
}
