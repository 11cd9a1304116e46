import { useState } from 'react';
import { Button, Checkbox, CheckboxGroup } from 'react-aria-components';
import type { AccountView } from '../../shared/model';
import { KIND_NAMES } from '../lib/kinds';
import { accountLines, emptyButtonLabel, emptySummary, type AccountTotals } from '../lib/trashTotals';
import { Modal } from './Modal';

const notLoaded: AccountTotals = { state: 'waiting', loaded: 0, count: null, knownBytes: 0, unknownSizes: 0, unknownAreFolders: true };

/**
 * Emptying the trash of several accounts: one checkbox per account with what its trash holds
 * (as loaded so far), only the accounts the user ticks are emptied, and the red button says
 * exactly how much goes from how many accounts. Focus starts on Cancel, so Enter cancels.
 */
export function EmptyTrashDialog({
  accounts,
  totals,
  initiallyTicked = [],
  onCancel,
  onConfirm,
}: {
  accounts: readonly AccountView[];
  /** Each account's listing as loaded so far; updates while the dialog is open. */
  totals: ReadonlyMap<string, AccountTotals>;
  initiallyTicked?: readonly string[];
  onCancel: () => void;
  onConfirm: (accountIds: string[]) => void;
}) {
  const [ticked, setTicked] = useState<string[]>(() => [...initiallyTicked]);
  const totalsOf = (id: string) => totals.get(id) ?? notLoaded;
  // Only accounts still listed count: one removed while the dialog is open is never emptied.
  const chosen = accounts.filter((a) => ticked.includes(a.id));
  const chosenTotals = chosen.map((a) => totalsOf(a.id));
  return (
    <Modal title="Empty the trash of which accounts?" isOpen onClose={onCancel} role="alertdialog" className="empty-dialog">
      <p className="dialog-sub">Tick the accounts whose trash is deleted for good. The others are not touched.</p>
      <CheckboxGroup value={ticked} onChange={setTicked} aria-label="Accounts to empty" className="empty-accounts">
        {accounts.map((a) => {
          const t = totalsOf(a.id);
          const lines = accountLines(t);
          const tone = t.state === 'error' ? ' error-text' : t.state === 'complete' ? '' : ' muted';
          return (
            <Checkbox
              key={a.id}
              value={a.id}
              className="empty-account"
              isDisabled={t.state === 'complete' && t.loaded === 0}
              aria-label={`${a.label} (${KIND_NAMES[a.kind]}): ${lines.count}${lines.detail ? `, ${lines.detail}` : ''}`}
              data-testid="empty-account"
              data-state={t.state}
            >
              <span className="check-box" aria-hidden="true" />
              <span className="empty-account-name" title={a.label}>
                {a.label}
              </span>
              <span className="empty-account-kind">
                {KIND_NAMES[a.kind]}
                {a.demo ? ' · demo' : ''}
              </span>
              <span className={`empty-account-count${tone}`} data-testid="empty-account-count">
                {lines.count}
              </span>
              <span className={`empty-account-detail${tone}`} data-testid="empty-account-detail">
                {lines.detail}
              </span>
            </Checkbox>
          );
        })}
      </CheckboxGroup>
      <p className="delete-message" data-testid="delete-message">
        {emptySummary(chosenTotals, chosen.map((a) => a.label))}
      </p>
      <div className="dialog-actions">
        <Button className="button" autoFocus onPress={onCancel}>
          Cancel
        </Button>
        <Button className="button danger" isDisabled={chosen.length === 0} onPress={() => onConfirm(chosen.map((a) => a.id))}>
          {emptyButtonLabel(chosenTotals)}
        </Button>
      </div>
    </Modal>
  );
}
