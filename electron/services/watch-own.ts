import type { EventBus } from '../base/events';
import { isFinished, parseItemKey, type OperationView, type TrashItem } from '../../shared/model';
import type { OperationsRunner } from '../operations/runner';
import type { Landed } from '../providers/types';
import type { OwnMoves } from './watch';

/**
 * Salvage's own moves into the trash, as the watch needs to know them until the ledger of the
 * window's work (services/ledger.ts) is merged, which recognises them for every listing: an Undo
 * moves restored items back into the trash, and a restore with Replace moves the file that stood
 * in the way there. The server lists both as fresh deletions; they are no deletion event.
 *
 * Kept from the operations runner's updates: what each restore put in place (its landed items) and
 * what it replaced; when an Undo then trashes items, each is expected in the trash under the name
 * and in the folder it had landed with (or by its id, DocSpace), deleted within the Undo's span
 * (give or take TOLERANCE_MS for servers' clocks and whole-second stamps). A Replace's file is
 * expected under its name and folder, deleted between the replace and the end of its batch.
 * Nothing else is taken for Salvage's: a later deletion of a restored file by someone is news.
 */

const TOLERANCE_MS = 10 * 60_000;
/** Moves are forgotten after this long (the watch has seen them by then). */
const KEEP_MS = 24 * 3_600_000;
/** Landed items remembered for a later Undo. */
const LANDED_KEPT = 200_000;

interface Move {
  accountId: string;
  name: string;
  folder: string;
  /** The server id it keeps in the trash, where it keeps one (DocSpace). */
  id: string | null;
  from: number;
  to: number;
}

const parentOf = (ref: string) => ref.slice(0, ref.lastIndexOf('/')) || '/';

export class RecentOwnMoves implements OwnMoves {
  private readonly landed = new Map<string, { accountId: string; landed: Landed }>();
  private readonly moves = new Map<string, Move>();

  constructor(
    bus: EventBus,
    private readonly runner: Pick<OperationsRunner, 'landed'>,
    private readonly now: () => number = Date.now,
  ) {
    bus.subscribe((name, payload) => {
      if (name === 'operation:update') this.update(payload as OperationView);
    });
  }

  private update(view: OperationView): void {
    const to = view.finishedAt ? Date.parse(view.finishedAt) : this.now() + TOLERANCE_MS;
    if (view.kind === 'restore' && isFinished(view)) {
      for (const [key, landed] of this.runner.landed(view.id)) {
        const accountId = parseItemKey(key).accountId;
        this.landed.set(key, { accountId, landed });
        if (this.landed.size > LANDED_KEPT) this.landed.delete(this.landed.keys().next().value!);
        const r = landed.replaced;
        if (r)
          this.moves.set(`${view.id}|${key}|replaced`, {
            accountId,
            name: r.name,
            folder: r.folder,
            id: null,
            from: Date.parse(r.at),
            to,
          });
      }
    }
    if (view.kind === 'undo') {
      for (const result of view.results) {
        if (result.outcome !== 'trashed' && result.outcome !== 'reverted') continue;
        const known = this.landed.get(result.key);
        if (!known) continue;
        const { landed } = known;
        const path = landed.ref.includes('/');
        this.moves.set(`${view.id}|${result.key}`, {
          accountId: known.accountId,
          name: landed.name,
          folder: path ? parentOf(landed.ref) : '',
          id: path ? null : landed.ref,
          from: Date.parse(view.startedAt),
          to,
        });
      }
    }
    const old = this.now() - KEEP_MS;
    for (const [k, m] of this.moves) if (m.to < old) this.moves.delete(k);
  }

  isOwn(item: TrashItem): boolean {
    if (item.parentId !== null) return false;
    const t = item.deletedAt ? Date.parse(item.deletedAt) : NaN;
    for (const m of this.moves.values()) {
      if (m.accountId !== item.accountId || !(t >= m.from - TOLERANCE_MS && t <= m.to + TOLERANCE_MS)) continue;
      if (m.id !== null ? item.id === m.id : item.name === m.name && item.originalFolder === m.folder) return true;
    }
    return false;
  }
}
