import { describe, expect, it } from 'vitest';
import { account } from '../actions/testing';
import { accountLooks, shortLabel } from './accountLook';

describe('account looks', () => {
  it('a short name drops what only tells accounts of one kind apart', () => {
    expect(shortLabel('Nextcloud (demo)')).toBe('Nextcloud');
    expect(shortLabel('DocSpace demo (Dana Morgan)')).toBe('DocSpace demo');
    expect(shortLabel('alice@cloud.example.com')).toBe('alice@cloud.example.com');
    expect(shortLabel('(work)')).toBe('(work)');
  });

  it('short names that would read alike keep their full labels', () => {
    const looks = accountLooks(
      [
        account('a', { label: 'Nextcloud (work)' }),
        account('b', { label: 'Nextcloud (home)' }),
        account('c', { label: 'ownCloud (demo)' }),
      ],
      false,
    );
    expect([...looks.values()].map((l) => l.short)).toEqual(['Nextcloud (work)', 'Nextcloud (home)', 'ownCloud']);
  });

  it('an account keeps its colour whichever accounts are on screen: it comes from its place in the account list', () => {
    const list = [account('a'), account('b'), account('c')];
    const all = accountLooks(list, false);
    // The colour of "c" in All accounts is the one it has alone, and differs from the others'.
    expect(new Set([...all.values()].map((l) => l.color)).size).toBe(3);
    expect(accountLooks(list, false).get('c')!.color).toBe(all.get('c')!.color);
    expect(accountLooks(list, true).get('c')!.color).not.toBe(all.get('c')!.color); // the dark set is lighter
  });
});
