import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import type { AccountView, ServerProbe } from '../../shared/model';
import { call } from '../api/client';
import { errorText } from '../lib/errorText';
import { Modal } from './Modal';

const KIND_NAMES: Record<ServerProbe['kind'], string> = {
  docspace: 'ONLYOFFICE DocSpace',
  owncloud10: 'ownCloud 10',
  nextcloud: 'Nextcloud',
  ocis: 'ownCloud Infinite Scale',
};

const SECRET_LABELS: Record<ServerProbe['auth'], string> = {
  'api-key': 'API key',
  'app-password': 'App password',
  'login-flow-or-app-password': 'App password',
  token: 'App token',
};

const SECRET_HINTS: Record<ServerProbe['kind'], string> = {
  docspace: 'Create one in DocSpace: Developer Tools → API keys, with access to files.',
  owncloud10: 'Create one in ownCloud: Settings → Security → App passwords.',
  nextcloud: 'Create one in Nextcloud: Personal settings → Security → Devices & sessions.',
  ocis: 'Create one with “ocis auth-app create” or in the web UI under Preferences → App tokens.',
};

/**
 * Adding an account: the address first; the server says what it is; then exactly the fields
 * that server needs; Test connection tells who the credentials belong to; Add saves.
 */
export function AddAccountDialog({ onClose, onAdded }: { onClose: () => void; onAdded: (account: AccountView) => void }) {
  const [url, setUrl] = useState('');
  const [probe, setProbe] = useState<ServerProbe | null>(null);
  const [user, setUser] = useState('');
  const [secret, setSecret] = useState('');
  const [label, setLabel] = useState('');
  const [sessionOnly, setSessionOnly] = useState(false);

  const detect = useMutation({ mutationFn: () => call('accounts:detect', { serverUrl: url }), onSuccess: setProbe });
  const input = () => ({
    serverUrl: probe?.serverUrl ?? url,
    kind: probe!.kind,
    ...(probe!.auth === 'api-key' ? {} : { user: user.trim() }),
    secret,
    ...(label.trim() ? { label: label.trim() } : {}),
    sessionOnly,
  });
  const test = useMutation({ mutationFn: () => call('accounts:test', input()) });
  const add = useMutation({ mutationFn: () => call('accounts:add', input()), onSuccess: onAdded });
  const loginFlow = useMutation({
    mutationFn: () => call('accounts:loginFlowStart', { serverUrl: probe?.serverUrl ?? url }),
    // Open the server's sign-in page in the system browser (the app denies in-app windows).
    onSuccess: (flow) => void window.open(flow.loginUrl, '_blank', 'noopener,noreferrer'),
  });
  // Once the user approves Salvage in the browser, the poll answers with the new account.
  const flowId = loginFlow.data?.flowId ?? null;
  const poll = useQuery({
    queryKey: ['loginFlow', flowId],
    queryFn: () => call('accounts:loginFlowPoll', { flowId: flowId! }),
    enabled: flowId !== null,
    refetchInterval: (q) => (q.state.data?.account || q.state.error ? false : 1500),
    gcTime: 0,
  });
  const approved = poll.data?.account ?? null;
  useEffect(() => {
    if (approved) onAdded(approved);
  }, [approved, onAdded]);

  const needsUser = probe && probe.auth !== 'api-key';
  const ready = Boolean(probe && secret && (!needsUser || user.trim()));
  const resetCredentialsCheck = () => {
    test.reset();
    add.reset();
  };

  return (
    <Modal title="Add an account" isOpen onClose={onClose} className="add-account-dialog">
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!probe) detect.mutate();
          else if (ready) add.mutate();
        }}
      >
        <label className="field">
          <span>Server address</span>
          <input
            autoFocus
            type="text"
            inputMode="url"
            placeholder="cloud.example.com"
            value={url}
            onChange={(e) => {
              setUrl(e.target.value);
              setProbe(null);
              detect.reset();
              resetCredentialsCheck();
            }}
            aria-describedby="detect-result"
            spellCheck={false}
          />
        </label>
        <div id="detect-result" aria-live="polite">
          {detect.isPending && <p className="muted">Asking the server what it is…</p>}
          {detect.isError && (
            <p role="alert" className="error-text">
              {errorText(detect.error)}
            </p>
          )}
          {probe && (
            <p className="detected" data-testid="detected-server">
              Found <strong>{probe.productName || KIND_NAMES[probe.kind]}</strong>
              {probe.version ? ` ${probe.version}` : ''} at {probe.serverUrl}
              {!probe.trashSupported && <span className="error-text"> — its trash is not available to Salvage (the trash app may be disabled).</span>}
            </p>
          )}
          {probe?.insecureHttp && (
            <p className="warn-text">This server uses plain http://: the password travels unencrypted. Use https:// if the server offers it.</p>
          )}
        </div>
        {!probe && (
          <div className="dialog-actions">
            <Button className="button" onPress={onClose}>
              Cancel
            </Button>
            <Button type="submit" className="button primary" isDisabled={!url.trim() || detect.isPending}>
              Continue
            </Button>
          </div>
        )}
        {probe && (
          <>
            {needsUser && (
              <label className="field">
                <span>User name</span>
                <input type="text" autoComplete="username" value={user} onChange={(e) => (setUser(e.target.value), resetCredentialsCheck())} spellCheck={false} autoFocus />
              </label>
            )}
            <label className="field">
              <span>{SECRET_LABELS[probe.auth]}</span>
              <input
                type="password"
                autoComplete="off"
                value={secret}
                onChange={(e) => (setSecret(e.target.value), resetCredentialsCheck())}
                aria-describedby="secret-hint"
                autoFocus={!needsUser}
              />
              <small id="secret-hint" className="muted">
                {SECRET_HINTS[probe.kind]} Salvage keeps it in the app, never in the web page.
              </small>
            </label>
            {probe.auth === 'login-flow-or-app-password' && (
              <div className="login-flow">
                <button type="button" onClick={() => loginFlow.mutate()} disabled={loginFlow.isPending}>
                  Sign in with the browser instead
                </button>
                {loginFlow.isError && <p className="error-text">{errorText(loginFlow.error)}</p>}
                {loginFlow.data && !poll.isError && (
                  <p aria-live="polite" data-testid="login-flow">
                    Approve Salvage on the page that opened in your browser (or open{' '}
                    <a href={loginFlow.data.loginUrl} target="_blank" rel="noreferrer">
                      this sign-in page
                    </a>
                    ). Waiting for your approval…
                  </p>
                )}
                {poll.isError && <p className="error-text" role="alert">{errorText(poll.error)}</p>}
              </div>
            )}
            <label className="field">
              <span>Name in Salvage (optional)</span>
              <input type="text" value={label} onChange={(e) => setLabel(e.target.value)} placeholder="e.g. Work cloud" />
            </label>
            <label className="checkbox">
              <input type="checkbox" checked={sessionOnly} onChange={(e) => setSessionOnly(e.target.checked)} />
              Forget the password when Salvage closes
            </label>
            <div aria-live="polite" className="test-result" data-testid="test-result">
              {test.isPending && <p className="muted">Testing the connection…</p>}
              {test.isSuccess && <p className="ok-text">Connected as {test.data.userName}.</p>}
              {test.isError && (
                <p role="alert" className="error-text">
                  {errorText(test.error)}
                </p>
              )}
              {add.isError && (
                <p role="alert" className="error-text">
                  {errorText(add.error)}
                </p>
              )}
            </div>
            <div className="dialog-actions">
              <Button className="button" onPress={onClose}>
                Cancel
              </Button>
              <span className="spacer" />
              <Button className="button" isDisabled={!ready || test.isPending} onPress={() => test.mutate()}>
                Test connection
              </Button>
              <Button type="submit" className="button primary" isDisabled={!ready || add.isPending}>
                {add.isPending ? 'Adding…' : 'Add account'}
              </Button>
            </div>
          </>
        )}
      </form>
    </Modal>
  );
}
