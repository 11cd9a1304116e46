import { createContext, useContext, useMemo } from 'react';
import type { AccountView } from '../../shared/model';
import { accountColor } from '../lib/accountColors';
import { usePrefersDark } from './useMediaQuery';

/**
 * How an account is recognised wherever items of several accounts meet (rows, the timeline, the
 * sidebar, batch cards, results, conflicts, toasts): one colour, the same everywhere, from its place
 * in the account list (not among the accounts on screen, so a colour does not change between All
 * accounts and the account alone), and a short name.
 */
export interface AccountLook {
  id: string;
  label: string;
  /** The label without what only tells accounts of one kind apart in words: "Nextcloud (demo)" → "Nextcloud". */
  short: string;
  color: string;
}

/** "DocSpace demo (Dana Morgan)" → "DocSpace demo"; "alice@cloud.example.com" stays; never empty. */
export function shortLabel(label: string): string {
  const bare = label.replace(/\s*\([^)]*\)/g, '').trim();
  return bare || label.trim() || label;
}

/** Every account's look, in the order of the account list; short names that would read alike keep their full label. */
export function accountLooks(accounts: readonly AccountView[], dark: boolean): Map<string, AccountLook> {
  const shorts = accounts.map((a) => shortLabel(a.label));
  const count = new Map<string, number>();
  for (const s of shorts) count.set(s.toLowerCase(), (count.get(s.toLowerCase()) ?? 0) + 1);
  return new Map(
    accounts.map((a, i) => {
      const s = shorts[i]!;
      return [
        a.id,
        {
          id: a.id,
          label: a.label,
          short: (count.get(s.toLowerCase()) ?? 0) > 1 ? a.label : s,
          color: accountColor(i, dark),
        },
      ];
    }),
  );
}

const unknownLook = (id: string): AccountLook => ({ id, label: id, short: id, color: 'var(--muted)' });

export const AccountLooks = createContext<ReadonlyMap<string, AccountLook>>(new Map());

/** The looks of every account for the current theme (App provides them once to everything below). */
export function useAccountLookMap(accounts: readonly AccountView[]): ReadonlyMap<string, AccountLook> {
  const dark = usePrefersDark();
  return useMemo(() => accountLooks(accounts, dark), [accounts, dark]);
}

/** One account's look (an account removed meanwhile reads as its id, in a neutral colour). */
export function useAccountLook(): (accountId: string) => AccountLook {
  const looks = useContext(AccountLooks);
  return (accountId) => looks.get(accountId) ?? unknownLook(accountId);
}

/** Whether more than one account is set up: only then do items need their account shown beside them. */
export const useSeveralAccounts = () => useContext(AccountLooks).size > 1;
