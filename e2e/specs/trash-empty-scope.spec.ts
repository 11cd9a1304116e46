import { expect, test } from '../fixtures';
import { OCIS_SPACES, WEBDAV_USERS } from '../../electron/demo/servers/webdav/seed';
import { latestOperation, openTrash, row, shots, startOcisWithSpaces, waitForOperation } from './trash-helpers';

/**
 * Issue 22, item 4: before any Empty or delete, the dialog says exactly what will happen per account
 * and space, what it leaves out and why, and the count on the button is the count that goes — on
 * Infinite Scale, "Delete 265 items" must not end "265 deleted, 2 skipped" after promising 267.
 */

const alice = WEBDAV_USERS.alice;

test('Infinite Scale: Empty says per space what goes and what is left out (and why), and the button counts only what goes', async ({
  page,
  host,
}) => {
  const server = await startOcisWithSpaces();
  try {
    await host.invoke('accounts:add', {
      serverUrl: server.url,
      kind: 'ocis',
      user: alice.id,
      secret: alice.appPassword,
      label: 'alice@ocis.test',
    });
    await page.setViewportSize({ width: 1400, height: 900 });
    await openTrash(page, host, 'plan.pdf');
    const total = Number((await page.getByTestId('view-count').textContent())!.split(' ')[0]);
    await page.getByRole('button', { name: 'Empty trash' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Empty the trash of alice@ocis.test?' });
    const scope = dialog.getByTestId('empty-scope');
    await expect(scope).toContainText('Marketing:');
    const leftOut = dialog.getByTestId('empty-left-out');
    // Alice is an editor of Engineering and a viewer of Board: only managers delete from a space's trash.
    await expect(leftOut).toHaveCount(2);
    await expect(leftOut.filter({ hasText: 'editor of Engineering' })).toHaveText(
      '1 item left out: You are an editor of Engineering: only its managers can delete from its trash.',
    );
    await expect(leftOut.filter({ hasText: 'viewer of Board' })).toContainText('1 item left out');
    const goes = total - 2;
    const confirm = dialog.getByRole('button', { name: `Delete ${goes} items from 1 account` });
    await expect(confirm).toBeEnabled();
    await expect(dialog.getByTestId('delete-message')).toContainText(`Permanently delete ${goes} items`);
    await shots(page, 'empty-scope-ocis');

    await confirm.click();
    await waitForOperation(page);
    await expect(latestOperation(page).getByTestId('operation-state')).toContainText(
      `Done — ${goes} deleted, 2 skipped`,
    );
    // What the dialog said is what the server did: only the Engineering and Board items are left.
    expect(server.tree.snapshot(OCIS_SPACES.engineering.id).trash.map((t) => t.name)).toEqual(['api.md']);
    expect(server.tree.snapshot(OCIS_SPACES.board.id).trash.map((t) => t.name)).toEqual(['minutes.pdf']);
    expect(server.tree.snapshot(OCIS_SPACES.marketing.id).trash).toEqual([]);
  } finally {
    await server.close();
  }
});

test('Delete permanently names the account, says a folder goes with what is in it, and what is left out and why', async ({
  page,
  host,
}) => {
  const server = await startOcisWithSpaces();
  try {
    await host.invoke('accounts:add', {
      serverUrl: server.url,
      kind: 'ocis',
      user: alice.id,
      secret: alice.appPassword,
      label: 'alice@ocis.test',
    });
    await openTrash(page, host, 'plan.pdf');
    await row(page, 'Assets').locator('.cell-name').click();
    await row(page, 'plan.pdf')
      .locator('.cell-name')
      .click({ modifiers: ['ControlOrMeta'] });
    await row(page, 'minutes.pdf')
      .locator('.cell-name')
      .click({ modifiers: ['ControlOrMeta'] });
    await page.getByRole('button', { name: 'Delete permanently' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete permanently?' });
    await expect(dialog.getByTestId('delete-message')).toContainText('Permanently delete 2 items');
    await expect(dialog.getByTestId('delete-message')).toContainText('from alice@ocis.test?');
    await expect(dialog.getByTestId('delete-scope')).toContainText(
      '“Assets” is a folder and goes with everything in it.',
    );
    await expect(dialog.getByTestId('delete-left-out')).toHaveText(
      '1 item left out: You are a viewer of Board: only its managers can delete from its trash.',
    );
    await expect(dialog.getByRole('button', { name: 'Delete 2 items permanently' })).toBeVisible();
    await shots(page, 'delete-scope-ocis');
    await dialog.getByRole('button', { name: 'Delete 2 items permanently' }).click();
    await waitForOperation(page);
    await expect(latestOperation(page).getByTestId('operation-state')).toContainText('Done — 2 deleted');
    expect(server.tree.snapshot(OCIS_SPACES.board.id).trash.map((t) => t.name)).toEqual(['minutes.pdf']);
  } finally {
    await server.close();
  }
});
