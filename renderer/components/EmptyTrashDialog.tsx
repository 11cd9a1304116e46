import { useState } from 'react';
import { Button, Checkbox, CheckboxGroup } from 'react-aria-components';
import { kindInfo } from '../../shared/kinds';
import type { AccountView } from '../../shared/model';
import { plural } from '../lib/format';
import {
  accountLines,
  emptyButtonLabel,
  emptySummary,
  foldersNote,
  leftOutText,
  oneAccountEmptyMessage,
  type AccountTotals,
} from '../lib/trashTotals';
import { AccountSwatch } from './AccountBadge';
import { Modal } from './Modal';

const notLoaded: AccountTotals = {
  state: 'waiting',
  loaded: 0,
  count: null,
  knownBytes: 0,
  unknownSizes: 0,
  unknownAreFolders: true,
  leftOut: [],
  spaces: [],
  folders: 0,
};

/** Below an account: what an Empty does there, per space, what it leaves out and why, and that folders go whole. */
function AccountScope({ t }: { t: AccountTotals }) {
  const folders = foldersNote(t.folders);
  if (!t.spaces.length && !t.leftOut.length && !folders) return null;
  return (
    <ul className="empty-scope" data-testid="empty-scope">
      {t.spaces.map((s) => (
        <li key={s.name}>
          {s.name}: {plural(s.count, 'item')}
        </li>
      ))}
      {t.leftOut.map((l) => (
        <li key={l.reason} className="warn-text" data-testid="empty-left-out">
          {leftOutText(l)}
        </li>
      ))}
      {folders && <li className="muted">{folders}</li>}
    </ul>
  );
}

/**
 * Emptying the trash: one line per account with what its trash holds (as loaded so far) and, below
 * it, per space what goes, what is left out and why; only the ticked accounts are emptied, and the
 * red button says exactly how much goes from how many accounts (what is left out is not counted).
 * For one account (its sidebar menu, or the account alone on screen) it comes ticked. An account a
 * batch still runs on cannot be ticked, and says why. Focus starts on Cancel, so Enter cancels.
 */
export function EmptyTrashDialog({
  accounts,
  totals,
  initiallyTicked = [],
  busyReasons = new Map(),
  onCancel,
  onConfirm,
}: {
  accounts: readonly AccountView[];
  /** Each account's listing as loaded so far; updates while the dialog is open. */
  totals: ReadonlyMap<string, AccountTotals>;
  initiallyTicked?: readonly string[];
  /** Accounts that cannot be emptied now (a batch of theirs still runs), and why. */
  busyReasons?: ReadonlyMap<string, string>;
  onCancel: () => void;
  onConfirm: (accountIds: string[]) => void;
}) {
  const [ticked, setTicked] = useState<string[]>(() => initiallyTicked.filter((id) => !busyReasons.has(id)));
  const totalsOf = (id: string) => totals.get(id) ?? notLoaded;
  // Only accounts still listed count: one removed while the dialog is open is never emptied.
  const chosen = accounts.filter((a) => ticked.includes(a.id) && !busyReasons.has(a.id));
  const chosenTotals = chosen.map((a) => totalsOf(a.id));
  const one = accounts.length === 1 ? accounts[0]! : null;
  return (
    <Modal
      title={one ? `Empty the trash of ${one.label}?` : 'Empty the trash of which accounts?'}
      isOpen
      onClose={onCancel}
      role="alertdialog"
      className="empty-dialog"
    >
      <p className="dialog-sub">
        {one
          ? 'Everything below is deleted for good.'
          : 'Tick the accounts whose trash is deleted for good. The others are not touched.'}
      </p>
      <CheckboxGroup value={ticked} onChange={setTicked} aria-label="Accounts to empty" className="empty-accounts">
        {accounts.map((a) => {
          const t = totalsOf(a.id);
          const lines = accountLines(t);
          const busy = busyReasons.get(a.id) ?? null;
          const tone = t.state === 'error' ? ' error-text' : t.state === 'complete' ? '' : ' muted';
          return (
            <Checkbox
              key={a.id}
              value={a.id}
              className="empty-account"
              isDisabled={(t.state === 'complete' && t.loaded === 0) || busy !== null}
              aria-label={`${a.label} (${kindInfo(a.kind).name}): ${lines.count}${lines.detail ? `, ${lines.detail}` : ''}${busy ? `; not now: ${busy}` : ''}`}
              data-testid="empty-account"
              data-state={t.state}
            >
              <span className="check-box" aria-hidden="true" />
              <span className="empty-account-name" title={a.label}>
                <AccountSwatch accountId={a.id} />
                {a.label}
              </span>
              <span className="empty-account-kind">
                {kindInfo(a.kind).name}
                {a.demo ? ' · demo' : ''}
              </span>
              <span className={`empty-account-count${tone}`} data-testid="empty-account-count">
                {lines.count}
              </span>
              <span className={`empty-account-detail${tone}`} data-testid="empty-account-detail">
                {lines.detail}
              </span>
              <span className="empty-account-scope">
                {busy && (
                  <span className="warn-text" data-testid="empty-account-busy">
                    Not now: {busy}.
                  </span>
                )}
                <AccountScope t={t} />
              </span>
            </Checkbox>
          );
        })}
      </CheckboxGroup>
      <p className="delete-message" data-testid="delete-message">
        {one && chosen.length === 1
          ? oneAccountEmptyMessage(one.label, chosenTotals[0]!)
          : emptySummary(
              chosenTotals,
              chosen.map((a) => a.label),
            )}
      </p>
      <div className="dialog-actions">
        <Button className="button" autoFocus onPress={onCancel}>
          Cancel
        </Button>
        <Button
          className="button danger"
          isDisabled={chosen.length === 0}
          onPress={() => onConfirm(chosen.map((a) => a.id))}
        >
          {emptyButtonLabel(chosenTotals)}
        </Button>
      </div>
    </Modal>
  );
}
