import { describe, expect, it } from 'vitest';
import type { OperationView } from '../../shared/model';
import { ApiError } from '../api/client';
import type * as sel from '../lib/selection';
import { noBusyItems, type BusyItems } from '../lib/busy';
import { keys } from '../queries/keys';
import { account, conflict, fakeContext, operation, trashItem, type Handlers } from './testing';
import { trashWorkflows, type TrashDialog } from './trash';

const a1 = trashItem('a', 'Budget.xlsx');
const a2 = trashItem('a', 'Notes.txt');
const b1 = trashItem('b', 'Photo.jpg');
const accounts = new Map([account('a'), account('b', { kind: 'docspace' })].map((x) => [x.id, x]));

/** The workflows on a fake api, with a screen that records what it was told to show. */
function setup(handlers: Handlers, busy: BusyItems = noBusyItems) {
  const fake = fakeContext(handlers);
  const screen = {
    dialog: null as TrashDialog,
    busy: [] as (string | null)[],
    error: null as string | null,
    selection: { selected: new Set([a1.key, a2.key, b1.key]), anchor: a1.key, focus: a1.key } as sel.Selection,
  };
  const flows = trashWorkflows(
    fake.ctx,
    {
      showDialog: (d) => void (screen.dialog = d),
      setBusy: (label) => void screen.busy.push(label),
      setError: (text) => void (screen.error = text),
      changeSelection: (update) => void (screen.selection = update(screen.selection)),
    },
    accounts,
    busy,
  );
  return { ...fake, screen, flows };
}

const started = operation('op-1', { state: 'running' });
const ops = (client: ReturnType<typeof setup>['client']) => client.getQueryData<OperationView[]>(keys.ops());

describe('restore workflow', () => {
  it('with nothing in the way: checks the destination, starts the batch, clears the selection', async () => {
    const t = setup({
      'ops:checkConflicts': () => ({ conflicts: [], missingFolders: [] }),
      'ops:restore': () => started,
    });
    await t.flows.restore([a1, a2]);
    expect(t.channels()).toEqual(['ops:checkConflicts', 'ops:restore']);
    expect(t.calls[0]!.payload).toEqual({
      items: [
        { accountId: 'a', id: a1.id },
        { accountId: 'a', id: a2.id },
      ],
      destination: { kind: 'original' },
    });
    expect(t.calls[1]!.payload).toEqual({
      items: [
        { accountId: 'a', id: a1.id },
        { accountId: 'a', id: a2.id },
      ],
      destination: { kind: 'original' },
      resolutions: {},
      recreateMissingFolders: true,
    });
    expect(t.screen.busy).toEqual(['Checking the destination…', 'Restoring…', null, null]);
    expect(t.screen.selection.selected.size).toBe(0);
    expect(t.screen.dialog).toBeNull();
    expect(t.screen.error).toBeNull();
    expect(ops(t.client)).toEqual([started]);
  });

  it('asks about conflicts first, and starts only with the answers', async () => {
    const clash = conflict(a1);
    const t = setup({
      'ops:checkConflicts': () => ({ conflicts: [clash], missingFolders: [] }),
      'ops:restore': () => started,
    });
    await t.flows.restore([a1, a2]);
    expect(t.channels()).toEqual(['ops:checkConflicts']);
    expect(t.screen.dialog).toEqual({
      kind: 'conflicts',
      items: [a1, a2],
      destination: { kind: 'original' },
      conflicts: [clash],
    });
    expect(t.screen.selection.selected.size).toBe(3);

    await t.flows.resolveConflicts(t.screen.dialog as Extract<TrashDialog, { kind: 'conflicts' }>, {
      [a1.key]: 'replace',
    });
    expect(t.channels()).toEqual(['ops:checkConflicts', 'ops:restore']);
    expect(t.calls[1]!.payload).toMatchObject({ resolutions: { [a1.key]: 'replace' } });
    expect(t.screen.dialog).toBeNull();
    expect(t.screen.selection.selected.size).toBe(0);
  });

  it('says first which original folders are gone, then asks about conflicts, then starts', async () => {
    const clash = conflict(a2);
    const t = setup({
      'ops:checkConflicts': () => ({ conflicts: [clash], missingFolders: ['/Documents'] }),
      'ops:restore': () => started,
    });
    await t.flows.restore([a1, a2]);
    expect(t.screen.dialog).toEqual({
      kind: 'missing-folders',
      items: [a1, a2],
      destination: { kind: 'original' },
      conflicts: [clash],
      folders: ['/Documents'],
    });

    await t.flows.continueWithoutFolders(t.screen.dialog as Extract<TrashDialog, { kind: 'missing-folders' }>);
    expect(t.screen.dialog).toMatchObject({ kind: 'conflicts', conflicts: [clash] });
    expect(t.channels()).toEqual(['ops:checkConflicts']);

    await t.flows.resolveConflicts(t.screen.dialog as Extract<TrashDialog, { kind: 'conflicts' }>, {
      [a2.key]: 'keep-both',
    });
    expect(t.channels()).toEqual(['ops:checkConflicts', 'ops:restore']);
    expect(ops(t.client)).toEqual([started]);
  });

  it('goes straight on after the missing folders when nothing else is in the way', async () => {
    const t = setup({
      'ops:checkConflicts': () => ({ conflicts: [], missingFolders: ['/Gone'] }),
      'ops:restore': () => started,
    });
    await t.flows.restore([a1]);
    await t.flows.continueWithoutFolders(t.screen.dialog as Extract<TrashDialog, { kind: 'missing-folders' }>);
    expect(t.channels()).toEqual(['ops:checkConflicts', 'ops:restore']);
    expect(t.screen.dialog).toBeNull();
  });

  it('a failed check becomes the error banner; nothing starts, the selection stays', async () => {
    const t = setup({
      'ops:checkConflicts': () => {
        throw new ApiError({ code: 'NETWORK', message: 'socket hang up' });
      },
    });
    await t.flows.restore([a1]);
    expect(t.channels()).toEqual(['ops:checkConflicts']);
    expect(t.screen.error).toMatch(/\S/);
    expect(t.screen.busy).toEqual(['Checking the destination…', null]);
    expect(t.screen.dialog).toBeNull();
    expect(t.screen.selection.selected.size).toBe(3);
  });

  it('a batch that fails to start leaves the conflicts dialog open with the error', async () => {
    const clash = conflict(a1);
    const t = setup({
      'ops:checkConflicts': () => ({ conflicts: [clash], missingFolders: [] }),
      'ops:restore': () => {
        throw new ApiError({ code: 'AUTH_FAILED', message: 'no' });
      },
    });
    await t.flows.restore([a1]);
    await t.flows.resolveConflicts(t.screen.dialog as Extract<TrashDialog, { kind: 'conflicts' }>, {});
    expect(t.screen.dialog).toMatchObject({ kind: 'conflicts' });
    expect(t.screen.error).toMatch(/\S/);
    expect(t.screen.selection.selected.size).toBe(3);
  });

  it('does nothing for an empty selection', async () => {
    const t = setup({});
    await t.flows.restore([]);
    expect(t.calls).toEqual([]);
    expect(t.screen.error).toBeNull();
  });

  it('restores into a chosen folder of the items’ account', async () => {
    const t = setup({
      'ops:checkConflicts': () => ({ conflicts: [], missingFolders: [] }),
      'ops:restore': () => started,
    });
    t.flows.chooseFolder([a1, a2]);
    expect(t.screen.dialog).toEqual({ kind: 'restore-to', items: [a1, a2], accountId: 'a', folder: null });
    await t.flows.restoreInto([a1, a2], {
      accountId: 'a',
      id: '/Projects',
      name: 'Projects',
      path: '/Projects',
      canWrite: true,
      hasChildren: false,
    });
    expect(t.calls[0]!.payload).toMatchObject({
      destination: { kind: 'folder', accountId: 'a', folderId: '/Projects' },
    });
    expect(t.channels()).toEqual(['ops:checkConflicts', 'ops:restore']);
  });

  it('refuses a folder for items of several accounts, or of another account', () => {
    const t = setup({});
    t.flows.chooseFolder([a1, b1]);
    expect(t.screen.error).toBe(
      'These items come from several accounts. Select items of one account to restore them into one of its folders.',
    );
    t.flows.chooseFolder([a1, b1], {
      accountId: 'b',
      id: 'f',
      name: 'F',
      path: '/F',
      canWrite: true,
      hasChildren: null,
    });
    expect(t.screen.error).toBe('Only items of Account b can go into its folders. Select items of one account.');
    expect(t.screen.dialog).toBeNull();
  });
});

describe('delete and empty', () => {
  it('delete closes the dialog, starts the batch and clears the selection', async () => {
    const deleting = operation('op-2', { kind: 'delete' });
    const t = setup({ 'ops:delete': () => deleting });
    t.flows.askDelete([a1]);
    expect(t.screen.dialog).toEqual({ kind: 'delete', items: [a1], leftOut: [] });
    await t.flows.deleteForGood([a1]);
    expect(t.calls).toEqual([{ channel: 'ops:delete', payload: { items: [{ accountId: 'a', id: a1.id }] } }]);
    expect(t.screen.dialog).toBeNull();
    expect(t.screen.busy).toEqual(['Deleting…', null]);
    expect(t.screen.selection.selected.size).toBe(0);
    expect(ops(t.client)).toEqual([deleting]);
  });

  it('asks for one account with its totals, for several which of them', () => {
    const t = setup({});
    t.flows.askEmpty(['a']);
    expect(t.screen.dialog).toEqual({ kind: 'empty', accountId: 'a' });
    t.flows.askEmpty(['a', 'b']);
    expect(t.screen.dialog).toEqual({ kind: 'empty-many' });
  });

  it('empties every chosen account even when one fails, shows an error, and drops their items from the selection', async () => {
    const t = setup({
      'ops:empty': ({ accountId }) => {
        if (accountId === 'a') throw new ApiError({ code: 'SERVER', message: 'boom' });
        return operation(`empty-${accountId}`, { kind: 'empty' });
      },
    });
    await t.flows.empty(['a', 'b']);
    expect(t.channels()).toEqual(['ops:empty', 'ops:empty']);
    // Known gap, kept as it was: the banner shows errorText() of the plain Error that emptyTrash
    // throws, i.e. the generic "Something went wrong…" rather than "Could not empty the trash of …".
    expect(t.screen.error).toMatch(/\S/);
    expect(ops(t.client)?.map((o) => o.id)).toEqual(['empty-b']);
    expect([...t.screen.selection.selected]).toEqual([]);
  });

  it('keeps the selection of accounts it did not empty', async () => {
    const t = setup({ 'ops:empty': () => operation('e', { kind: 'empty' }) });
    await t.flows.empty(['b']);
    expect([...t.screen.selection.selected]).toEqual([a1.key, a2.key]);
    expect(t.screen.error).toBeNull();
  });
});

describe('items the user may not restore or delete (an oCIS viewer or editor)', () => {
  const viewer = 'You are a viewer of Board: only its managers and editors can restore from its trash.';
  const board = trashItem('a', 'minutes.pdf', {
    cannotRestore: viewer,
    cannotDelete: 'You are a viewer of Board: only its managers can delete from its trash.',
  });

  it('restore leaves them out before anything is sent; with only them, nothing is sent and the reason is said', async () => {
    const t = setup({
      'ops:checkConflicts': () => ({ conflicts: [], missingFolders: [] }),
      'ops:restore': () => started,
    });
    await t.flows.restore([board]);
    expect(t.channels()).toEqual([]);
    expect(t.screen.error).toBe(`Cannot be restored: ${viewer}`);
    await t.flows.restore([a1, board]);
    expect(t.calls[0]!.payload).toMatchObject({ items: [{ accountId: 'a', id: a1.id }] });
  });

  it('delete asks only about the ones the user may delete; with none, says why', () => {
    const t = setup({});
    t.flows.askDelete([board]);
    expect(t.screen.dialog).toBeNull();
    expect(t.screen.error).toContain('Cannot be deleted: You are a viewer of Board');
    t.flows.askDelete([a1, board]);
    expect(t.screen.dialog).toEqual({ kind: 'delete', items: [a1], leftOut: [board] });
  });
});

describe('one batch at a time on the same items', () => {
  const running = operation('op-9', { state: 'running', title: 'Restore 184 items to where they were' });
  const busyWith = (...keys: string[]): BusyItems => ({
    has: (k) => keys.includes(k),
    batchOf: (k) => (keys.includes(k) ? running : undefined),
  });

  it('a restore of items a batch still works on is not started, and says which batch', async () => {
    const t = setup({}, busyWith(a1.key));
    await t.flows.restore([a1, a2]);
    expect(t.calls).toEqual([]);
    expect(t.screen.error).toBe(
      'Not started: “Restore 184 items to where they were” is still running on 1 of these 2 items.',
    );
  });

  it('nor a delete', () => {
    const t = setup({}, busyWith(a1.key));
    t.flows.askDelete([a1]);
    expect(t.screen.dialog).toBeNull();
    expect(t.screen.error).toBe('Not started: “Restore 184 items to where they were” is still running on this item.');
  });
});

describe('conflicts all skipped', () => {
  it('runs no batch of nothing: the dialog closes and nothing is sent', async () => {
    const t = setup({ 'ops:checkConflicts': () => ({ conflicts: [conflict(a1)], missingFolders: [] }) });
    await t.flows.restore([a1]);
    const step = t.screen.dialog as Extract<TrashDialog, { kind: 'conflicts' }>;
    await t.flows.resolveConflicts(step, { [a1.key]: 'skip' });
    expect(t.channels()).toEqual(['ops:checkConflicts']);
    expect(t.screen.dialog).toBeNull();
  });

  it('with something left to restore, the skipped ones go with the batch untouched (its results say so)', async () => {
    const t = setup({
      'ops:checkConflicts': () => ({ conflicts: [conflict(a1)], missingFolders: [] }),
      'ops:restore': () => started,
    });
    await t.flows.restore([a1, a2]);
    await t.flows.resolveConflicts(t.screen.dialog as Extract<TrashDialog, { kind: 'conflicts' }>, {
      [a1.key]: 'skip',
    });
    expect(t.calls[1]!.payload).toMatchObject({
      items: [
        { accountId: 'a', id: a1.id },
        { accountId: 'a', id: a2.id },
      ],
      resolutions: { [a1.key]: 'skip' },
    });
  });
});

describe('a missing folder that is in the trash itself', () => {
  it('is restored with the items, ahead of them, after the checks run again', async () => {
    const drafts = trashItem('a', 'Drafts', { kind: 'folder', originalFolder: '/Projects' });
    const inside = trashItem('a', 'draft 1.docx', { originalFolder: '/Projects/Drafts' });
    let checks = 0;
    const t = setup({
      'ops:checkConflicts': () =>
        checks++ === 0
          ? { conflicts: [], missingFolders: ['/Projects/Drafts'] }
          : { conflicts: [], missingFolders: [] },
      'ops:restore': () => started,
    });
    await t.flows.restore([inside]);
    const step = t.screen.dialog as Extract<TrashDialog, { kind: 'missing-folders' }>;
    expect(step.kind).toBe('missing-folders');
    await t.flows.restoreWithFolders(step, [drafts]);
    expect(t.channels()).toEqual(['ops:checkConflicts', 'ops:checkConflicts', 'ops:restore']);
    expect(t.calls[2]!.payload).toMatchObject({
      items: [
        { accountId: 'a', id: drafts.id },
        { accountId: 'a', id: inside.id },
      ],
    });
  });
});
