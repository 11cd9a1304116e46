import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import type { AccountView } from '../../shared/model';
import { call } from '../api/client';
import { errorText } from '../lib/errorText';
import { Modal } from './Modal';

/** Credentials expired: enter a new app password / API key. Nothing else on screen changes. */
export function ReauthDialog({ account, onClose }: { account: AccountView; onClose: () => void }) {
  const [secret, setSecret] = useState('');
  const reauth = useMutation({ mutationFn: () => call('accounts:reauth', { accountId: account.id, secret }), onSuccess: onClose });
  return (
    <Modal title={`Sign in to ${account.label} again`} isOpen onClose={onClose}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (secret) reauth.mutate();
        }}
      >
        <p className="dialog-sub">
          {account.serverUrl} no longer accepts the saved {account.kind === 'docspace' ? 'API key' : 'app password'} for {account.userName}. Your selection is kept.
        </p>
        <label className="field">
          <span>{account.kind === 'docspace' ? 'New API key' : 'New app password'}</span>
          <input type="password" autoFocus value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="off" />
        </label>
        {reauth.isError && (
          <p role="alert" className="error-text">
            {errorText(reauth.error)}
          </p>
        )}
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
  const rename = useMutation({ mutationFn: () => call('accounts:rename', { accountId: account.id, label: label.trim() }), onSuccess: onClose });
  return (
    <Modal title="Rename account" isOpen onClose={onClose}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (label.trim()) rename.mutate();
        }}
      >
        <label className="field">
          <span>Name</span>
          <input autoFocus value={label} onChange={(e) => setLabel(e.target.value)} maxLength={200} />
        </label>
        {rename.isError && <p role="alert" className="error-text">{errorText(rename.error)}</p>}
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

export function RemoveAccountDialog({ account, onClose, onRemoved }: { account: AccountView; onClose: () => void; onRemoved: () => void }) {
  const remove = useMutation({ mutationFn: () => call('accounts:remove', { accountId: account.id }), onSuccess: onRemoved });
  return (
    <Modal title="Remove account?" isOpen onClose={onClose} role="alertdialog">
      <p>
        Salvage forgets <strong>{account.label}</strong> and its saved password. Nothing changes on the server: its trash stays as it is.
      </p>
      {remove.isError && <p role="alert" className="error-text">{errorText(remove.error)}</p>}
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
