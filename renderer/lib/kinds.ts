import type { AccountKind } from '../../shared/model';

/** Each server kind's full product name, as dialogs name it. */
export const KIND_NAMES: Record<AccountKind, string> = {
  docspace: 'ONLYOFFICE DocSpace',
  owncloud10: 'ownCloud 10',
  nextcloud: 'Nextcloud',
  ocis: 'ownCloud Infinite Scale',
};
