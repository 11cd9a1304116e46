import { queryOptions, type QueryClient } from '@tanstack/react-query';
import type { AccountView } from '../../shared/model';
import { call, subscribe } from '../api/client';
import { keys } from './keys';

export const accountQueries = {
  all: () => queryOptions({ queryKey: keys.accounts(), queryFn: () => call('accounts:list', {}) }),
  /** Polls a started login flow until the user approves Salvage in the browser (or it fails). */
  loginFlow: (flowId: string | null) =>
    queryOptions({
      queryKey: keys.loginFlow(flowId),
      queryFn: () => call('accounts:loginFlowPoll', { flowId: flowId! }),
      enabled: flowId !== null,
      refetchInterval: (q) => (q.state.data?.account || q.state.error ? false : 1500),
      gcTime: 0,
    }),
  /** Polls a browser sign-in (OpenID Connect) until the browser came back to Salvage (or it failed). */
  oidcSignIn: (flowId: string | null) =>
    queryOptions({
      queryKey: keys.oidcSignIn(flowId),
      queryFn: () => call('accounts:oidcPoll', { flowId: flowId! }),
      enabled: flowId !== null,
      refetchInterval: (q) => (q.state.data?.account || q.state.error ? false : 1000),
      retry: false,
      gcTime: 0,
    }),
};

/** Puts a new (or changed) account into the cached list. */
export function rememberAccount(client: QueryClient, account: AccountView) {
  client.setQueryData<AccountView[]>(keys.accounts(), (old) => [
    ...(old ?? []).filter((a) => a.id !== account.id),
    account,
  ]);
}

/**
 * Keeps the accounts cache live from 'accounts:changed' events; an account that can sign in again
 * reloads its trash. Returns the unsubscribe function.
 */
export function followAccounts(client: QueryClient): () => void {
  return subscribe('accounts:changed', (next) => {
    const before = client.getQueryData<AccountView[]>(keys.accounts()) ?? [];
    client.setQueryData(keys.accounts(), next);
    for (const a of next) {
      if (a.status === 'ok' && before.find((b) => b.id === a.id)?.status === 'auth-expired')
        void client.invalidateQueries({ queryKey: keys.trash(a.id) });
    }
  });
}
