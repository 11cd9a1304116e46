import { useState } from 'react';
import { Button } from 'react-aria-components';
import { kindInfo } from '../../shared/kinds';
import type { AccountView, ServerProbe } from '../../shared/model';
import {
  useAddAccount,
  useBrowserSignIn,
  useDetectServer,
  useLoginFlow,
  useTestConnection,
  type NewAccount,
} from '../actions/accounts';
import { accountError, browserSignInErrorText, type AccountError } from '../lib/accountErrors';
import { errorText } from '../lib/errorText';
import { ErrorLine } from './ErrorLine';
import { Modal } from './Modal';

/** The secret field's label: its name from the kind registry, capitalised ("App password", "API key"). */
const secretLabel = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

interface Credentials {
  user: string;
  secret: string;
  label: string;
  sessionOnly: boolean;
}

/** A form error in its place: under the field it is about, announced once. */
function FieldError({ error, id }: { error: AccountError | null; id: string }) {
  if (!error) return null;
  return (
    <p id={id} role="alert" className="error-text field-error" data-testid={id}>
      {error.text}
    </p>
  );
}

/** What the server said it is, problems reaching it, and a warning for plain http://. */
function DetectResult({
  detect,
  probe,
  addressError,
}: {
  detect: ReturnType<typeof useDetectServer>;
  probe: ServerProbe | null;
  addressError: AccountError | null;
}) {
  return (
    <div id="detect-result" aria-live="polite">
      {detect.isPending && <p className="muted">Asking the server what it is…</p>}
      <FieldError error={addressError} id="address-error" />
      {probe && (
        <p className="detected" data-testid="detected-server">
          Found <strong>{probe.productName || kindInfo(probe.kind).name}</strong>
          {probe.version ? ` ${probe.version}` : ''} at {probe.serverUrl}
          {!probe.trashSupported && (
            <span className="error-text">
              {' '}
              — its trash is not available to Salvage (the trash app may be disabled).
            </span>
          )}
        </p>
      )}
      {probe?.insecureHttp && (
        <p className="warn-text">
          This server uses plain http://: the password travels unencrypted. Use https:// if the server offers it.
        </p>
      )}
    </div>
  );
}

/** Nextcloud: sign in with the browser instead of typing an app password, and wait for the approval. */
function LoginFlowOption({ flow, serverUrl }: { flow: ReturnType<typeof useLoginFlow>; serverUrl: string }) {
  const { start, poll } = flow;
  return (
    <div className="login-flow">
      <button type="button" onClick={() => start.mutate(serverUrl)} disabled={start.isPending}>
        Sign in with the browser instead
      </button>
      {start.isError && <p className="error-text">{errorText(start.error)}</p>}
      {start.data && !poll.isError && (
        <p aria-live="polite" data-testid="login-flow">
          Approve Salvage on the page that opened in your browser (or open{' '}
          <a href={start.data.loginUrl} target="_blank" rel="noreferrer">
            this sign-in page
          </a>
          ). Waiting for your approval…
        </p>
      )}
      <ErrorLine error={poll.error} />
    </div>
  );
}

/**
 * Infinite Scale: sign in on the server's own page in the browser (OpenID Connect). The desktop app
 * opens the page itself; in the browser host the window offers it as a link (a click opens it, so
 * no pop-up blocker stands in the way). Salvage waits for the browser to come back.
 */
export function BrowserSignInOption({
  signIn,
  onStart,
}: {
  signIn: ReturnType<typeof useBrowserSignIn>;
  onStart: () => void;
}) {
  const { start, poll, cancel } = signIn;
  const flow = start.data;
  return (
    <div className="browser-sign-in" data-testid="browser-sign-in">
      {!flow ? (
        <>
          <Button className="button primary" onPress={onStart} isDisabled={start.isPending}>
            {start.isPending ? 'Preparing the sign-in…' : 'Sign in with your browser'}
          </Button>
          <small className="muted">
            You sign in on Infinite Scale's own page; Salvage receives a token, never your password.
          </small>
          {start.isError && (
            <p role="alert" className="error-text">
              {browserSignInErrorText(start.error)}
            </p>
          )}
        </>
      ) : poll.error ? (
        <>
          <p role="alert" className="error-text" data-testid="browser-sign-in-error">
            {browserSignInErrorText(poll.error)}
          </p>
          <Button className="button" onPress={cancel}>
            Try again
          </Button>
        </>
      ) : (
        <>
          <p aria-live="polite" data-testid="browser-sign-in-waiting">
            {flow.opened
              ? 'Sign in on the page that opened in your browser.'
              : 'Open the sign-in page and sign in there.'}{' '}
            Salvage is waiting for you to finish…
          </p>
          <div className="browser-sign-in-actions">
            <a
              className={flow.opened ? 'button' : 'button primary'}
              href={flow.authorizeUrl}
              target="_blank"
              rel="noreferrer"
            >
              {flow.opened ? 'Open the sign-in page again' : 'Open sign-in page'}
            </a>
            <Button className="button" onPress={cancel}>
              Cancel sign-in
            </Button>
          </div>
        </>
      )}
    </div>
  );
}

/**
 * Exactly the fields the detected server needs: user name (not for API keys), the secret, a name, and whether to keep
 * it.
 */
function CredentialFields({
  probe,
  values,
  onChange,
  loginFlow,
  browserSignIn,
  secretError,
}: {
  probe: ServerProbe;
  values: Credentials;
  /** A change to the user name or secret also clears the last connection check. */
  onChange: (next: Partial<Credentials>) => void;
  loginFlow: ReturnType<typeof useLoginFlow>;
  browserSignIn: ReturnType<typeof useBrowserSignIn> & { begin: () => void };
  /** The server refused these credentials: said once, under the secret. */
  secretError: AccountError | null;
}) {
  const kind = kindInfo(probe.kind);
  const needsUser = kind.userName !== 'none';
  const browser = kind.browserSignIn;
  return (
    <>
      {browser && (
        <>
          <BrowserSignInOption signIn={browserSignIn} onStart={browserSignIn.begin} />
          <p className="or-line muted">or sign in with an app token:</p>
        </>
      )}
      {needsUser && (
        <label className="field">
          <span>User name</span>
          <input
            type="text"
            autoComplete="username"
            value={values.user}
            onChange={(e) => onChange({ user: e.target.value })}
            spellCheck={false}
            autoFocus={!browser}
            aria-invalid={secretError ? true : undefined}
          />
        </label>
      )}
      <label className="field">
        <span>{secretLabel(kind.secret.name)}</span>
        <input
          type="password"
          autoComplete="off"
          value={values.secret}
          onChange={(e) => onChange({ secret: e.target.value })}
          aria-describedby={secretError ? 'secret-error secret-hint' : 'secret-hint'}
          aria-invalid={secretError ? true : undefined}
          autoFocus={!needsUser}
        />
        <FieldError error={secretError} id="secret-error" />
        <small id="secret-hint" className="muted">
          {kind.secret.hint} Salvage keeps it in the app, never in the web page.
        </small>
      </label>
      {probe.auth === 'login-flow-or-app-password' && <LoginFlowOption flow={loginFlow} serverUrl={probe.serverUrl} />}
      <label className="field">
        <span>Name in Salvage (optional)</span>
        <input
          type="text"
          value={values.label}
          onChange={(e) => onChange({ label: e.target.value })}
          placeholder="e.g. Work cloud"
        />
      </label>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={values.sessionOnly}
          onChange={(e) => onChange({ sessionOnly: e.target.checked })}
        />
        Forget the password when Salvage closes
      </label>
    </>
  );
}

/** What Test connection said, and a failure of Test or Add that belongs to no one field. */
function CheckResult({
  test,
  formError,
}: {
  test: ReturnType<typeof useTestConnection>;
  formError: AccountError | null;
}) {
  return (
    <div aria-live="polite" className="test-result" data-testid="test-result">
      {test.isPending && <p className="muted">Testing the connection…</p>}
      {test.isSuccess && <p className="ok-text">Connected as {test.data.userName}.</p>}
      <FieldError error={formError} id="form-error" />
    </div>
  );
}

/**
 * Adding an account: the address first; the server says what it is; then exactly the fields
 * that server needs; Test connection tells who the credentials belong to; Add saves.
 */
export function AddAccountDialog({
  onClose,
  onAdded,
}: {
  onClose: () => void;
  onAdded: (account: AccountView) => void;
}) {
  const [url, setUrl] = useState('');
  const [probe, setProbe] = useState<ServerProbe | null>(null);
  const [values, setValues] = useState<Credentials>({ user: '', secret: '', label: '', sessionOnly: false });

  const detect = useDetectServer(setProbe);
  const test = useTestConnection();
  const add = useAddAccount(onAdded);
  const loginFlow = useLoginFlow(onAdded);
  const browserSignIn = useBrowserSignIn(onAdded);
  const beginBrowserSignIn = () =>
    browserSignIn.start.mutate({
      serverUrl: probe?.serverUrl ?? url,
      ...(values.label.trim() ? { label: values.label.trim() } : {}),
      sessionOnly: values.sessionOnly,
    });

  // Test and Add check the same thing: only the latest one's error is shown (each clears the other),
  // where it belongs — reaching the server under the address, refused credentials under the secret.
  const checkError = accountError(test.error ?? add.error, probe?.kind ?? null);
  const addressError = accountError(detect.error, null) ?? (checkError?.field === 'address' ? checkError : null);
  const secretError = checkError?.field === 'secret' ? checkError : null;
  const formError = checkError?.field === 'form' ? checkError : null;

  const input = (): NewAccount => ({
    serverUrl: probe?.serverUrl ?? url,
    kind: probe!.kind,
    ...(probe!.auth === 'api-key' ? {} : { user: values.user.trim() }),
    secret: values.secret,
    ...(values.label.trim() ? { label: values.label.trim() } : {}),
    sessionOnly: values.sessionOnly,
  });
  const needsUser = probe && probe.auth !== 'api-key';
  const ready = Boolean(probe && values.secret && (!needsUser || values.user.trim()));
  const resetCredentialsCheck = () => {
    test.reset();
    add.reset();
  };
  const change = (next: Partial<Credentials>) => {
    setValues((old) => ({ ...old, ...next }));
    if ('user' in next || 'secret' in next) resetCredentialsCheck();
  };

  return (
    <Modal title="Add an account" isOpen onClose={onClose} className="add-account-dialog">
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!probe) detect.mutate(url);
          else if (ready) {
            test.reset();
            add.mutate(input());
          }
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
              browserSignIn.cancel();
            }}
            aria-describedby="detect-result"
            aria-invalid={addressError ? true : undefined}
            spellCheck={false}
          />
        </label>
        <DetectResult detect={detect} probe={probe} addressError={addressError} />
        {probe && (
          <CredentialFields
            probe={probe}
            values={values}
            onChange={change}
            loginFlow={loginFlow}
            browserSignIn={{ ...browserSignIn, begin: beginBrowserSignIn }}
            secretError={secretError}
          />
        )}
        {probe && <CheckResult test={test} formError={formError} />}
        <div className="dialog-actions">
          <Button className="button" onPress={onClose}>
            Cancel
          </Button>
          {probe ? (
            <>
              <span className="spacer" />
              <Button
                className="button"
                isDisabled={!ready || test.isPending}
                onPress={() => {
                  add.reset();
                  test.mutate(input());
                }}
              >
                Test connection
              </Button>
              <Button type="submit" className="button primary" isDisabled={!ready || add.isPending}>
                {add.isPending ? 'Adding…' : 'Add account'}
              </Button>
            </>
          ) : (
            <Button type="submit" className="button primary" isDisabled={!url.trim() || detect.isPending}>
              Continue
            </Button>
          )}
        </div>
      </form>
    </Modal>
  );
}
