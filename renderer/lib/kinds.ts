import type { AccountKind } from '../../shared/model';

/** Each server kind's full product name, as dialogs name it. */
export const KIND_NAMES: Record<AccountKind, string> = {
  docspace: 'ONLYOFFICE DocSpace',
  owncloud10: 'ownCloud 10',
  nextcloud: 'Nextcloud',
  ocis: 'ownCloud Infinite Scale',
};

/** The words a label naming the kind already holds as words ("Nextcloud (demo)", "ownCloud (work)"; not a host such as "alice@nextcloud.test"). */
const KIND_WORDS: Record<AccountKind, string> = {
  docspace: 'docspace',
  owncloud10: 'owncloud',
  nextcloud: 'nextcloud',
  ocis: 'infinite scale',
};

/** An account as the details name it: its label, then its server kind unless the label already says it. */
export function accountWithKind(account: { label: string; kind: AccountKind }): string {
  const named = new RegExp(`(^|\\s)${KIND_WORDS[account.kind]}(\\s|$)`).test(account.label.toLowerCase());
  return named ? account.label : `${account.label} (${KIND_NAMES[account.kind]})`;
}
