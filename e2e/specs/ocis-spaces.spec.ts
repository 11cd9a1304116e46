import { expect, screenshot, test } from '../fixtures';
import { OCIS_SPACES, WEBDAV_USERS } from '../../electron/demo/servers/webdav/seed';
import { latestOperation, openTrash, row, startOcisWithSpaces, waitForOperation } from './trash-helpers';

const alice = WEBDAV_USERS.alice;

test('Infinite Scale: the personal and project spaces in one list; restore an item from a project space', async ({
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
    await expect(row(page, 'notes.txt')).toBeVisible(); // personal space
    await expect(row(page, 'plan.pdf')).toContainText('Marketing / Campaigns / 2025');
    await expect(row(page, 'minutes.pdf')).toContainText('Board');

    await row(page, 'plan.pdf').locator('.cell-name').click();
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await waitForOperation(page);
    await expect(row(page, 'plan.pdf')).toHaveCount(0);
    await expect(latestOperation(page)).toContainText('1 restored');
    expect(server.tree.resolve(OCIS_SPACES.marketing.id, 'Campaigns/2025/plan.pdf')).not.toBeNull();
    expect(server.tree.resolve(alice.id, 'Campaigns/2025/plan.pdf')).toBeNull();
  } finally {
    await server.close();
  }
});

test("Infinite Scale: a viewer's items say before trying that they cannot be restored; Restore is disabled with the reason beside it", async ({
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
    await host.open(page);
    await expect(row(page, 'minutes.pdf').getByTestId('row-limit')).toHaveText('view only');
    await expect(row(page, 'plan.pdf').getByTestId('row-limit')).toHaveCount(0);

    await row(page, 'minutes.pdf').locator('.cell-name').click();
    const restore = page.getByRole('button', { name: 'Restore', exact: true });
    await expect(restore).toBeDisabled();
    await expect(page.getByTestId('restore-limit')).toHaveText(
      'Cannot be restored: You are a viewer of Board: only its managers and editors can restore from its trash.',
    );
    await expect(page.getByRole('button', { name: 'Delete permanently' })).toBeDisabled();
    await page.getByRole('button', { name: 'Details' }).click();
    await expect(page.getByTestId('details-limits')).toContainText('viewer of Board');
    await screenshot(page, 'ocis-viewer-limits-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'ocis-viewer-limits-dark');
    // The keyboard shortcut sends nothing either.
    await page.keyboard.press('Control+Shift+R');
    await expect(page.getByRole('alert').filter({ hasText: 'Cannot be restored' })).toBeVisible();
    expect(server.tree.snapshot(OCIS_SPACES.board.id).trash.map((t) => t.name)).toEqual(['minutes.pdf']);

    // With an item the user may restore: Restore goes ahead with it, the viewer's is left out and said so.
    await row(page, 'plan.pdf')
      .locator('.cell-name')
      .click({ modifiers: ['Control'] });
    await expect(restore).toBeEnabled();
    await expect(page.getByTestId('restore-limit')).toContainText('1 of 2 cannot be restored and are left out');
    await restore.click();
    await waitForOperation(page);
    await expect(latestOperation(page)).toContainText('1 restored');
    expect(server.tree.resolve(OCIS_SPACES.marketing.id, 'Campaigns/2025/plan.pdf')).not.toBeNull();
    expect(server.tree.snapshot(OCIS_SPACES.board.id).trash.map((t) => t.name)).toEqual(['minutes.pdf']);
  } finally {
    await server.close();
  }
});
