import { useState } from 'react';
import { Button } from 'react-aria-components';
import { kindInfo } from '../../shared/kinds';
import type { AccountView } from '../../shared/model';
import { useBrowserSignIn, useReauth, useRemoveAccount, useRename } from '../actions/accounts';
import { AddAccountDialog, BrowserSignInOption } from './AddAccountDialog';
import { ErrorLine } from './ErrorLine';
import { Modal } from './Modal';

/** An account signed in through the browser (oCIS, OpenID Connect) signs in there again. */
function BrowserReauthDialog({ account, onClose }: { account: AccountView; onClose: () => void }) {
  const signIn = useBrowserSignIn(onClose, account.id);
  return (
    <Modal title={`Sign in to ${account.label} again`} isOpen onClose={onClose}>
      <div className="form">
        <p className="dialog-sub">
          {account.serverUrl} ended the sign-in of {account.userName}. Sign in again in your browser; your selection is
          kept.
        </p>
        <BrowserSignInOption signIn={signIn} onStart={() => signIn.start.mutate({ serverUrl: account.serverUrl })} />
        <div className="dialog-actions">
          <Button className="button" onPress={onClose}>
            Cancel
          </Button>
        </div>
      </div>
    </Modal>
  );
}

/**
 * Credentials expired: enter a new app password / API key, or sign in in the browser again. Nothing else on screen
 * changes.
 */
export function ReauthDialog({ account, onClose }: { account: AccountView; onClose: () => void }) {
  if (account.browserSignIn) return <BrowserReauthDialog account={account} onClose={onClose} />;
  return <SecretReauthDialog account={account} onClose={onClose} />;
}

function SecretReauthDialog({ account, onClose }: { account: AccountView; onClose: () => void }) {
  const [secret, setSecret] = useState('');
  const reauth = useReauth(account.id, onClose);
  return (
    <Modal title={`Sign in to ${account.label} again`} isOpen onClose={onClose}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (secret) reauth.mutate(secret);
        }}
      >
        <p className="dialog-sub">
          {account.serverUrl} no longer accepts the saved {kindInfo(account.kind).secret.name} for {account.userName}.
          Your selection is kept.
        </p>
        <label className="field">
          <span>New {kindInfo(account.kind).secret.name}</span>
          <input
            type="password"
            autoFocus
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            autoComplete="off"
          />
        </label>
        <ErrorLine error={reauth.error} />
        <div className="dialog-actions">
          <Button className="button" onPress={onClose}>
            Cancel
          </Button>
          <Button type="submit" className="button primary" isDisabled={!secret || reauth.isPending}>
            Sign in
          </Button>
        </div>
      </form>
    </Modal>
  );
}

export function RenameDialog({ account, onClose }: { account: AccountView; onClose: () => void }) {
  const [label, setLabel] = useState(account.label);
  const rename = useRename(account.id, onClose);
  return (
    <Modal title="Rename account" isOpen onClose={onClose}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (label.trim()) rename.mutate(label.trim());
        }}
      >
        <label className="field">
          <span>Name</span>
          <input autoFocus value={label} onChange={(e) => setLabel(e.target.value)} maxLength={200} />
        </label>
        <ErrorLine error={rename.error} />
        <div className="dialog-actions">
          <Button className="button" onPress={onClose}>
            Cancel
          </Button>
          <Button type="submit" className="button primary" isDisabled={!label.trim() || rename.isPending}>
            Rename
          </Button>
        </div>
      </form>
    </Modal>
  );
}

export function RemoveAccountDialog({
  account,
  onClose,
  onRemoved,
}: {
  account: AccountView;
  onClose: () => void;
  onRemoved: () => void;
}) {
  const remove = useRemoveAccount(account.id, onRemoved);
  return (
    <Modal title="Remove account?" isOpen onClose={onClose} role="alertdialog">
      <p>
        Salvage forgets <strong>{account.label}</strong> and its saved password. Nothing changes on the server: its
        trash stays as it is.
      </p>
      <ErrorLine error={remove.error} />
      <div className="dialog-actions">
        <Button className="button" autoFocus onPress={onClose}>
          Cancel
        </Button>
        <Button className="button danger" onPress={() => remove.mutate()} isDisabled={remove.isPending}>
          Remove account
        </Button>
      </div>
    </Modal>
  );
}

/** Which account dialog is open: adding one, or one about an existing account. */
export type AccountDialog = { kind: 'add' } | { kind: 'reauth' | 'rename' | 'remove'; account: AccountView } | null;

/** The open account dialog, if any. */
export function OpenAccountDialog({
  dialog,
  onClose,
  onAdded,
}: {
  dialog: AccountDialog;
  onClose: () => void;
  onAdded: (account: AccountView) => void;
}) {
  switch (dialog?.kind) {
    case 'add':
      return <AddAccountDialog onClose={onClose} onAdded={onAdded} />;
    case 'reauth':
      return <ReauthDialog account={dialog.account} onClose={onClose} />;
    case 'rename':
      return <RenameDialog account={dialog.account} onClose={onClose} />;
    case 'remove':
      return <RemoveAccountDialog account={dialog.account} onClose={onClose} onRemoved={onClose} />;
    default:
      return null;
  }
}
