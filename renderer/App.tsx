import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { AccountView, OperationView, Resolution } from '../shared/model';
import { ApiError, call, subscribe } from './api/client';
import { RemoveAccountDialog, RenameDialog, ReauthDialog } from './components/AccountDialogs';
import type { AccountAction } from './components/AccountSidebar';
import { AddAccountDialog } from './components/AddAccountDialog';
import { AppFooter } from './components/AppFooter';
import { ConflictQuestion } from './components/ConflictDialog';
import { EmptyAccounts } from './components/EmptyAccounts';
import { OperationsPanel } from './components/OperationsPanel';
import { TrashScreen } from './components/TrashScreen';
import { UndoToast } from './components/UndoToast';
import { errorText } from './lib/errorText';
import { accountQueries } from './queries/app';
import { followOperations, operationQueries, upsertOp } from './queries/operations';
import { trashQueries } from './queries/trash';

type AccountDialog = { kind: 'add' } | { kind: 'reauth' | 'rename' | 'remove'; account: AccountView } | null;

/** Asks about the first conflict any running batch found mid-way. */
function MidBatchQuestion() {
  const client = useQueryClient();
  const ops = useQuery(operationQueries.list());
  const op = ops.data?.find((o) => o.state === 'needs-answer' && o.question);
  const upsert = (view: OperationView) => upsertOp(client, view);
  const answer = useMutation({
    mutationFn: (a: { id: string; resolution: Resolution; applyToAll: boolean }) => call('ops:answer', { operationId: a.id, resolution: a.resolution, applyToAll: a.applyToAll }),
    onSuccess: upsert,
  });
  const cancel = useMutation({ mutationFn: (id: string) => call('ops:cancel', { operationId: id }), onSuccess: upsert });
  if (!op?.question) return null;
  return (
    <ConflictQuestion
      key={`${op.id}:${op.question.itemKey}`}
      conflict={op.question}
      onAnswer={(resolution, applyToAll) => answer.mutate({ id: op.id, resolution, applyToAll })}
      onCancelBatch={() => cancel.mutate(op.id)}
    />
  );
}

export function App() {
  const client = useQueryClient();
  const accounts = useQuery(accountQueries.all());
  const [current, setCurrent] = useState('all');
  const [dialog, setDialog] = useState<AccountDialog>(null);
  const list = accounts.data ?? [];
  // Counts for the sidebar come from the same cached listings the table shows.
  const listings = useQueries({ queries: list.map((a) => ({ ...trashQueries.list(a.id), enabled: false })) });
  const counts = new Map(list.map((a, i) => [a.id, listings[i]?.data ? (listings[i].data.complete ? listings[i].data.items.length : (listings[i].data.total ?? null)) : null]));

  useEffect(() => followOperations(client), [client]);
  useEffect(
    () =>
      subscribe('accounts:changed', (next) => {
        const before = client.getQueryData<AccountView[]>(['accounts']) ?? [];
        client.setQueryData(['accounts'], next);
        // An account that can sign in again reloads its trash.
        for (const a of next) {
          if (a.status === 'ok' && before.find((b) => b.id === a.id)?.status === 'auth-expired') void client.invalidateQueries({ queryKey: ['trash', a.id] });
        }
      }),
    [client],
  );

  const demo = useMutation({
    mutationFn: async () => {
      const opened = await call('accounts:openDemo', {});
      if (opened.length === 0) throw new ApiError({ code: 'UNSUPPORTED', message: 'No demo server is available in this build yet. Add an account of your own instead.' });
      return opened;
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ['accounts'] }),
  });
  const closeDialog = () => setDialog(null);
  const shownCurrent = current === 'all' || list.some((a) => a.id === current) ? current : 'all';

  const onAction = (account: AccountView, action: AccountAction) => {
    if (action !== 'empty') setDialog({ kind: action, account });
  };

  let main;
  if (accounts.isPending) main = <p className="loading-accounts" aria-busy="true">Loading accounts…</p>;
  else if (accounts.isError)
    main = (
      <div className="banner error" role="alert">
        {errorText(accounts.error)}{' '}
        <button type="button" onClick={() => void accounts.refetch()}>
          Retry
        </button>
      </div>
    );
  else if (list.length === 0)
    main = (
      <>
        <EmptyAccounts onAddAccount={() => setDialog({ kind: 'add' })} onOpenDemo={() => demo.mutate()} />
        {demo.isPending && <p className="center muted" role="status">Starting the demo servers…</p>}
        {demo.isError && (
          <p className="center error-text" role="alert">
            {errorText(demo.error)}
          </p>
        )}
      </>
    );
  else
    main = (
      <TrashScreen
        accounts={list}
        current={shownCurrent}
        onReauth={(account) => setDialog({ kind: 'reauth', account })}
        sidebar={{
          counts,
          onSelect: setCurrent,
          onAction,
          onAdd: () => setDialog({ kind: 'add' }),
          onOpenDemo: () => demo.mutate(),
          demoPending: demo.isPending,
        }}
      />
    );

  return (
    <div className="app">
      <header className="app-header">
        <h1>Salvage</h1>
      </header>
      <main className="app-main">{main}</main>
      <UndoToast />
      <OperationsPanel />
      <MidBatchQuestion />
      <AppFooter />
      {dialog?.kind === 'add' && (
        <AddAccountDialog
          onClose={closeDialog}
          onAdded={(account) => {
            closeDialog();
            client.setQueryData<AccountView[]>(['accounts'], (old) => [...(old ?? []).filter((a) => a.id !== account.id), account]);
            setCurrent(account.id);
          }}
        />
      )}
      {dialog?.kind === 'reauth' && <ReauthDialog account={dialog.account} onClose={closeDialog} />}
      {dialog?.kind === 'rename' && <RenameDialog account={dialog.account} onClose={closeDialog} />}
      {dialog?.kind === 'remove' && (
        <RemoveAccountDialog
          account={dialog.account}
          onClose={closeDialog}
          onRemoved={() => {
            closeDialog();
            client.removeQueries({ queryKey: ['trash', dialog.account.id] });
            void client.invalidateQueries({ queryKey: ['accounts'] });
          }}
        />
      )}
    </div>
  );
}
