import { describe, expect, it } from 'vitest';
import { operation } from '../actions/testing';
import { accountBusyReason, busyReason, noBusyItems, type BusyItems } from './busy';

const restore = operation('op-1', {
  state: 'running',
  title: 'Restore 184 items to where they were',
  accountIds: ['a'],
});
const busy = (keys: string[]): BusyItems => ({
  has: (k) => keys.includes(k),
  batchOf: (k) => (keys.includes(k) ? restore : undefined),
});

describe('holding back a second batch on the same items', () => {
  it('says which batch runs on how many of the items', () => {
    expect(busyReason([{ key: 'a:1' }], busy(['a:1']))).toBe(
      '“Restore 184 items to where they were” is still running on this item',
    );
    expect(busyReason([{ key: 'a:1' }, { key: 'a:2' }], busy(['a:1', 'a:2']))).toBe(
      '“Restore 184 items to where they were” is still running on these items',
    );
    expect(busyReason([{ key: 'a:1' }, { key: 'a:2' }, { key: 'a:3' }], busy(['a:2']))).toBe(
      '“Restore 184 items to where they were” is still running on 1 of these 3 items',
    );
    expect(busyReason([{ key: 'a:1' }], noBusyItems)).toBeNull();
  });

  it('an account with a batch that has not finished is not emptied; a finished one no longer holds it', () => {
    expect(accountBusyReason('a', 'Work', [restore])).toBe(
      '“Restore 184 items to where they were” is still running on Work',
    );
    expect(accountBusyReason('a', 'Work', [{ ...restore, state: 'done' }])).toBeNull();
    expect(accountBusyReason('b', 'Home', [restore])).toBeNull();
  });
});

describe('no batch running', () => {
  it('nothing holds the items back, without looking at them', () => {
    const items = [{ key: 'a' }, { key: 'b' }];
    expect(
      busyReason(items, {
        ...noBusyItems,
        batchOf: () => {
          throw new Error('looked up');
        },
      }),
    ).toBeNull();
  });
});
