import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { Request } from '../../shared/contract';
import type { AccountView, ServerProbe } from '../../shared/model';
import { ApiError } from '../api/client';
import { accountQueries, rememberAccount } from '../queries/accounts';
import { keys } from '../queries/keys';
import { useActionContext } from './context';

/** What the add-account form sends to test the connection and to add the account. */
export type NewAccount = Request<'accounts:add'>;

/** Asks a server what it is (product, version, how it signs in). */
export function useDetectServer(onFound: (probe: ServerProbe) => void) {
  const { api } = useActionContext();
  return useMutation({ mutationFn: (serverUrl: string) => api('accounts:detect', { serverUrl }), onSuccess: onFound });
}

/** Signs in with the form's credentials without saving anything: whose they are. */
export function useTestConnection() {
  const { api } = useActionContext();
  return useMutation({ mutationFn: (account: NewAccount) => api('accounts:test', account) });
}

/** Saves a new account; it joins the cached list before `onAdded` runs. */
export function useAddAccount(onAdded: (account: AccountView) => void) {
  const { api, client } = useActionContext();
  return useMutation({
    mutationFn: (account: NewAccount) => api('accounts:add', account),
    onSuccess: (account) => {
      rememberAccount(client, account);
      onAdded(account);
    },
  });
}

/**
 * Nextcloud's Login Flow v2: start opens the server's sign-in page in the system browser (the app
 * denies in-app windows); the poll answers with the new account once the user approves Salvage
 * there, which then joins the cached list before `onAdded` runs.
 */
export function useLoginFlow(onAdded: (account: AccountView) => void) {
  const { api, client } = useActionContext();
  const start = useMutation({
    mutationFn: (serverUrl: string) => api('accounts:loginFlowStart', { serverUrl }),
    onSuccess: (flow) => void window.open(flow.loginUrl, '_blank', 'noopener,noreferrer'),
  });
  const poll = useQuery(accountQueries.loginFlow(start.data?.flowId ?? null));
  const approved = poll.data?.account ?? null;
  useEffect(() => {
    if (!approved) return;
    rememberAccount(client, approved);
    onAdded(approved);
  }, [approved, onAdded, client]);
  return { start, poll };
}

/** What the add-account form sends to start a browser sign-in. */
export type BrowserSignInRequest = Omit<Request<'accounts:oidcStart'>, 'accountId'>;

/**
 * Infinite Scale's browser sign-in (OpenID Connect): `start` asks main for the sign-in page (the
 * desktop app opens it in the system browser itself; the browser host hands it back for the window
 * to offer as a link), the poll answers with the account once the browser came back to Salvage.
 * With `accountId` it renews that account's sign-in ("Sign in again"). Leaving (unmount) or
 * `cancel` stops main's listener.
 */
export function useBrowserSignIn(onDone: (account: AccountView) => void, accountId?: string) {
  const { api, client } = useActionContext();
  const start = useMutation({
    mutationFn: (request: BrowserSignInRequest) =>
      api('accounts:oidcStart', { ...request, ...(accountId ? { accountId } : {}) }),
  });
  const flowId = start.data?.flowId ?? null;
  const poll = useQuery(accountQueries.oidcSignIn(flowId));
  const done = poll.data?.account ?? null;
  const waiting = useRef<string | null>(null);
  const pending = flowId && !done && !poll.error ? flowId : null;
  useEffect(() => {
    waiting.current = pending;
  }, [pending]);
  useEffect(() => {
    if (!done) return;
    rememberAccount(client, done);
    onDone(done);
  }, [done, onDone, client]);
  const stop = (id: string | null) => {
    if (id) void api('accounts:oidcCancel', { flowId: id }).catch(() => undefined);
  };
  useEffect(() => () => stop(waiting.current), []); // eslint-disable-line react-hooks/exhaustive-deps
  const cancel = () => {
    stop(pending);
    start.reset();
  };
  return { start, poll, cancel };
}

/** A new secret for an account whose credentials expired (main announces the changed account). */
export function useReauth(accountId: string, onDone: () => void) {
  const { api } = useActionContext();
  return useMutation({
    mutationFn: (secret: string) => api('accounts:reauth', { accountId, secret }),
    onSuccess: onDone,
  });
}

export function useRename(accountId: string, onDone: () => void) {
  const { api } = useActionContext();
  return useMutation({
    mutationFn: (label: string) => api('accounts:rename', { accountId, label }),
    onSuccess: onDone,
  });
}

/** Forgets an account; its cached trash goes with it. */
export function useRemoveAccount(accountId: string, onDone: () => void) {
  const { api, client } = useActionContext();
  return useMutation({
    mutationFn: () => api('accounts:remove', { accountId }),
    onSuccess: () => {
      onDone();
      client.removeQueries({ queryKey: keys.trash(accountId) });
      void client.invalidateQueries({ queryKey: keys.accounts() });
    },
  });
}

/** Starts the demo servers and adds their accounts; says so when this build has none. */
export function useOpenDemo() {
  const { api, client } = useActionContext();
  return useMutation({
    mutationFn: async () => {
      const opened = await api('accounts:openDemo', {});
      if (opened.length === 0)
        throw new ApiError({
          code: 'UNSUPPORTED',
          message: 'No demo server is available in this build yet. Add an account of your own instead.',
        });
      return opened;
    },
    onSuccess: () => client.invalidateQueries({ queryKey: keys.accounts() }),
  });
}
