import { Button, Menu, MenuItem, MenuTrigger, Popover } from 'react-aria-components';
import { kindInfo } from '../../shared/kinds';
import type { AccountView, FolderRef } from '../../shared/model';
import { useAccountLook } from '../hooks/accountLook';
import { formatCount } from '../lib/format';
import type { AccountProblem } from '../queries/trash';
import { FolderTree } from './FolderTree';

export type AccountAction = 'rename' | 'remove' | 'empty' | 'reauth';

/**
 * Accounts on the left: "All accounts", then one entry per account with its trash count and
 * state, a menu (rename, sign in again, empty trash, remove), and the selected account's live
 * folders as drop targets for dragged trash rows.
 */
export function AccountSidebar({
  accounts,
  current,
  counts,
  problems,
  onSelect,
  onAction,
  onAdd,
  onOpenDemo,
  demoPending,
  onDropOnFolder,
}: {
  accounts: AccountView[];
  current: string;
  counts: ReadonlyMap<string, number | null>;
  /** Accounts whose trash could not be read last time, and why. */
  problems: ReadonlyMap<string, AccountProblem>;
  onSelect: (accountId: string) => void;
  onAction: (account: AccountView, action: AccountAction) => void;
  onAdd: () => void;
  onOpenDemo: () => void;
  demoPending: boolean;
  onDropOnFolder: (folder: FolderRef) => void;
}) {
  const known = [...counts.values()];
  const total = known.some((n) => n === null) ? null : known.reduce<number>((s, n) => s + (n ?? 0), 0);
  // With one account, its folders are the drop targets in "All accounts" too.
  const selected = accounts.find((a) => a.id === current) ?? (accounts.length === 1 ? accounts[0] : undefined);
  const look = useAccountLook();
  return (
    <nav className="sidebar" aria-label="Accounts">
      <ul className="account-list">
        <li>
          <button
            type="button"
            className={`account-entry${current === 'all' ? ' current' : ''}`}
            aria-current={current === 'all' ? 'page' : undefined}
            onClick={() => onSelect('all')}
          >
            <span className="account-name">All accounts</span>
            <span className="badge">{total === null ? '…' : formatCount(total)}</span>
          </button>
        </li>
        {accounts.map((a) => {
          const problem = problems.get(a.id);
          const signIn = a.status === 'auth-expired' || problem?.kind === 'auth';
          return (
            <li key={a.id} className="account-item">
              <button
                type="button"
                className={`account-entry${current === a.id ? ' current' : ''}`}
                aria-current={current === a.id ? 'page' : undefined}
                onClick={() => onSelect(a.id)}
                title={`${a.label} — ${a.userName} on ${a.serverUrl}`}
              >
                <span className="account-name">
                  <span className="swatch" style={{ background: look(a.id).color }} aria-hidden="true" />
                  <span className="account-label">{a.label}</span>
                </span>
                <span className="account-kind">
                  {kindInfo(a.kind).shortName}
                  {a.demo ? ' · demo' : ''}
                  {signIn ? ' · ' : ''}
                  {signIn && <span className="error-text">sign in again</span>}
                  {!signIn && problem && (
                    <>
                      {' · '}
                      <span className="error-text" title={problem.text} data-testid="account-problem">
                        {problem.kind === 'unreachable' ? 'not reachable' : 'could not load'}
                      </span>
                    </>
                  )}
                </span>
                {counts.get(a.id) !== undefined && counts.get(a.id) !== null && (
                  <span className="badge">{formatCount(counts.get(a.id)!)}</span>
                )}
              </button>
              <MenuTrigger>
                <Button className="icon-button" aria-label={`Actions for ${a.label}`}>
                  ⋯
                </Button>
                <Popover className="popover" placement="bottom end">
                  <Menu className="menu" onAction={(key) => onAction(a, key as AccountAction)}>
                    {signIn && (
                      <MenuItem className="menu-item" id="reauth">
                        Sign in again…
                      </MenuItem>
                    )}
                    <MenuItem className="menu-item" id="rename">
                      Rename…
                    </MenuItem>
                    <MenuItem className="menu-item danger" id="empty" isDisabled={Boolean(problem) || signIn}>
                      {problem || signIn
                        ? `Empty trash (${signIn ? 'sign in again first' : problem!.kind === 'unreachable' ? 'not reachable' : 'its trash could not be read'})`
                        : 'Empty trash…'}
                    </MenuItem>
                    <MenuItem className="menu-item" id="remove">
                      Remove account…
                    </MenuItem>
                  </Menu>
                </Popover>
              </MenuTrigger>
            </li>
          );
        })}
      </ul>
      <div className="sidebar-actions">
        <button type="button" onClick={onAdd}>
          Add account
        </button>
        {!accounts.some((a) => a.demo) && (
          <button type="button" onClick={onOpenDemo} disabled={demoPending}>
            {demoPending ? 'Opening…' : 'Open the demo'}
          </button>
        )}
      </div>
      {selected ? (
        <section className="sidebar-folders" aria-labelledby="folders-title">
          <h2 id="folders-title" className="sidebar-heading">
            Folders
          </h2>
          <p className="hint">Drag items here to restore them into a folder.</p>
          {selected.status === 'auth-expired' ? (
            <p className="muted">Sign in again to see the folders.</p>
          ) : (
            <FolderTree
              key={selected.id}
              accountId={selected.id}
              label={`Folders of ${selected.label}`}
              selectedId={null}
              onDropItems={onDropOnFolder}
              testId="sidebar-tree"
            />
          )}
        </section>
      ) : (
        accounts.length > 0 && <p className="hint sidebar-hint">Choose an account to drag items onto its folders.</p>
      )}
    </nav>
  );
}
