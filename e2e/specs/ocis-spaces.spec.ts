import { expect, test } from '../fixtures';
import { startWebDavServer } from '../../electron/demo/servers/webdav/server';
import { OCIS_SPACES, seedOcisSpaces, seedTestState, WEBDAV_USERS } from '../../electron/demo/servers/webdav/seed';
import { latestOperation, row, waitForOperation } from './trash-helpers';

const alice = WEBDAV_USERS.alice;

test('Infinite Scale: the personal and project spaces in one list; restore an item from a project space', async ({ page, host }) => {
  const server = await startWebDavServer({
    kind: 'ocis',
    seed: (tree) => {
      seedTestState(tree);
      seedOcisSpaces(tree);
    },
  });
  try {
    await host.invoke('accounts:add', { serverUrl: server.url, kind: 'ocis', user: alice.id, secret: alice.appPassword, label: 'alice@ocis.test' });
    await host.open(page);
    await expect(row(page, 'plan.pdf')).toBeVisible();
    await expect(row(page, 'notes.txt')).toBeVisible(); // personal space
    await expect(row(page, 'plan.pdf')).toContainText('Marketing › Campaigns/2025');
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
