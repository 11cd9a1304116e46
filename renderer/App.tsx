import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useState } from 'react';
import type { AccountView } from '../shared/model';
import { useOpenDemo } from './actions/accounts';
import { OpenAccountDialog, type AccountDialog } from './components/AccountDialogs';
import type { AccountAction } from './components/AccountSidebar';
import { AppInfo } from './components/AppInfo';
import { AppProblemBanner } from './components/AppProblemBanner';
import { EmptyAccounts } from './components/EmptyAccounts';
import { MidBatchQuestion } from './components/MidBatchQuestion';
import { OperationsPanel } from './components/OperationsPanel';
import { TrashScreen } from './components/TrashScreen';
import { UndoToast } from './components/UndoToast';
import { AccountLooks, useAccountLookMap } from './hooks/accountLook';
import { errorText } from './lib/errorText';
import { accountQueries } from './queries/accounts';
import { useLiveCache } from './queries/live';
import { useTrashCounts, useTrashProblems } from './queries/trash';

/** The accounts could not be read: why, and Retry. */
function AccountsError({ accounts }: { accounts: UseQueryResult<AccountView[]> }) {
  return (
    <div className="banner error" role="alert">
      {errorText(accounts.error)}{' '}
      <button type="button" onClick={() => void accounts.refetch()}>
        Retry
      </button>
    </div>
  );
}

/** No account yet: add one or open the demo, with the demo's progress and error. */
function FirstScreen({ onAdd, demo }: { onAdd: () => void; demo: ReturnType<typeof useOpenDemo> }) {
  return (
    <>
      <EmptyAccounts onAddAccount={onAdd} onOpenDemo={() => demo.mutate()} />
      {demo.isPending && (
        <p className="center muted" role="status">
          Starting the demo servers…
        </p>
      )}
      {demo.isError && (
        <p className="center error-text" role="alert">
          {errorText(demo.error)}
        </p>
      )}
    </>
  );
}

/** The window: the accounts (or the first screen), the trash, operations, the undo toast, and the account dialogs. */
export function App() {
  const accounts = useQuery(accountQueries.all());
  const [current, setCurrent] = useState('all');
  const [dialog, setDialog] = useState<AccountDialog>(null);
  const list = accounts.data ?? [];
  // Counts for the sidebar come from the same cached listings the table shows.
  const counts = useTrashCounts(list);
  const problems = useTrashProblems(list);
  const demo = useOpenDemo();
  // One colour and short name per account, the same in every part of the window.
  const looks = useAccountLookMap(list);

  useLiveCache();

  const closeDialog = () => setDialog(null);
  const shownCurrent = current === 'all' || list.some((a) => a.id === current) ? current : 'all';
  const onAction = (account: AccountView, action: AccountAction) => {
    if (action !== 'empty') setDialog({ kind: action, account });
  };

  let main;
  if (accounts.isPending)
    main = (
      <p className="loading-accounts" aria-busy="true">
        Loading accounts…
      </p>
    );
  else if (accounts.isError) main = <AccountsError accounts={accounts} />;
  else if (list.length === 0) main = <FirstScreen onAdd={() => setDialog({ kind: 'add' })} demo={demo} />;
  else
    main = (
      <TrashScreen
        accounts={list}
        current={shownCurrent}
        onReauth={(account) => setDialog({ kind: 'reauth', account })}
        sidebar={{
          counts,
          problems,
          onSelect: setCurrent,
          onAction,
          onAdd: () => setDialog({ kind: 'add' }),
          onOpenDemo: () => demo.mutate(),
          demoPending: demo.isPending,
        }}
      />
    );

  return (
    <AccountLooks.Provider value={looks}>
      <div className="app">
        {/* The first Tab stop: straight to the list, past the sidebar, toolbar and filters. */}
        <a
          className="skip-link"
          href="#trash-grid"
          onClick={(e) => {
            e.preventDefault();
            document.getElementById('trash-grid')?.focus();
          }}
        >
          Skip to the trash list
        </a>
        <header className="app-header">
          <h1>Salvage</h1>
          <AppInfo />
        </header>
        <AppProblemBanner />
        <main className="app-main">
          {main}
          {/* Over the bottom of the list, never taking a row of its own. */}
          <UndoToast />
        </main>
        <OperationsPanel />
        <MidBatchQuestion />
        <OpenAccountDialog
          dialog={dialog}
          onClose={closeDialog}
          onAdded={(account) => {
            closeDialog();
            setCurrent(account.id);
          }}
        />
      </div>
    </AccountLooks.Provider>
  );
}
