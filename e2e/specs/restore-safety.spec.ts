import type { Page } from '@playwright/test';
import { expect, screenshot, SERVER_KINDS, test, type HostHandle, type TestAccount } from '../fixtures';
import { WEBDAV_USERS } from '../../electron/demo/servers/webdav/seed';
import { latestOperation, openTrash, row, selectRange, showEarlierBatches, waitForOperation } from './trash-helpers';
import { folderLabel } from '../../shared/location';

// Issue 10, "never act on the wrong file": nothing restores without a deliberate press, the
// conflict dialog shows exactly which files clash, and the undo toast names what it undoes.

const conflictRow = (page: Page, name: string) => page.getByTestId(`conflict ${name}`);

/** The channels the page calls on main, in order (restores go through ops:checkConflicts and ops:restore). */
function recordCalls(page: Page): string[] {
  const channels: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/invoke')) channels.push((r.postDataJSON() as { channel: string }).channel);
  });
  return channels;
}

/** The conflicts main answered with to the next pre-check, as the page received them. */
async function nextConflicts(page: Page) {
  const response = await page.waitForResponse(
    (r) =>
      r.url().endsWith('/api/invoke') &&
      (r.request().postDataJSON() as { channel: string }).channel === 'ops:checkConflicts',
  );
  const body = (await response.json()) as {
    ok: boolean;
    value: { conflicts: { name: string; targetPath: string; source: string }[] };
  };
  return body.value.conflicts;
}

/** A shot of the page in light, then dark, colours (back to light afterwards). */
/** "<verb> <date, time>" in the window's one date format, whatever the locale (a 4-digit year and an h:mm time). */
const DATED = (verb: string) => new RegExp(`${verb} \\S.*\\d{4},? \\d{1,2}:\\d{2}`);

async function lightAndDark(page: Page, name: string) {
  await screenshot(page, `${name}-light`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Plain WebDAV requests to a test server as alice, the way another client would change her files. */
async function webdav(host: HostHandle, account: TestAccount) {
  const accounts = await host.invoke<{ id: string; serverUrl: string }[]>('accounts:list');
  const serverUrl = accounts.find((a) => a.id === account.id)!.serverUrl.replace(/\/$/, '');
  const user = WEBDAV_USERS.alice;
  const auth = { Authorization: `Basic ${Buffer.from(`${user.id}:${user.appPassword}`).toString('base64')}` };
  const url = (path: string) =>
    `${serverUrl}/remote.php/dav/files/${user.id}/${path.split('/').map(encodeURIComponent).join('/')}`;
  const send = async (method: string, path: string, body?: string) => {
    const res = await fetch(url(path), { method, headers: auth, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status}`);
  };
  return {
    mkdirs: async (path: string) => {
      const parts = path.split('/');
      for (let i = 1; i <= parts.length; i++) await send('MKCOL', parts.slice(0, i).join('/')).catch(() => undefined);
    },
    put: (path: string, size: number) => send('PUT', path, 'a'.repeat(size)),
    /** Deleting a file over WebDAV moves it to the trash. */
    trash: (path: string) => send('DELETE', path),
  };
}

test('double-click and Enter on a row restore nothing; Restore and its shortcut do', async ({
  page,
  host,
  account,
}) => {
  const calls = recordCalls(page);
  await openTrash(page, host);
  await row(page, 'Batch 05.txt').locator('.cell-name').dblclick();
  await expect(row(page, 'Batch 05.txt')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await row(page, 'Batch 06.txt')
    .locator('.cell-name')
    .click({ modifiers: ['Shift'] });
  await page.keyboard.press('Enter');
  // A restore, had one started, would have asked main to check the destination by now.
  await page.waitForTimeout(750);
  expect(calls.filter((c) => c === 'ops:checkConflicts' || c === 'ops:restore')).toEqual([]);
  await expect(page.getByTestId('operation')).toHaveCount(0);
  await expect(page.getByTestId('undo-toast')).toHaveCount(0);
  await expect(row(page, 'Batch 05.txt')).toHaveCount(1);
  expect(account.trash()).toEqual(expect.arrayContaining(['Batch 05.txt', 'Batch 06.txt']));
  expect(account.live('Reports/2024')).not.toContain('Batch 05.txt');

  // The Restore button names its shortcut, and the shortcut restores the selection.
  const restore = page.getByRole('button', { name: 'Restore', exact: true });
  await expect(restore).toHaveAttribute('aria-keyshortcuts', 'Control+Shift+R');
  await expect(restore).toHaveAttribute('title', /\(Ctrl\+Shift\+R\)$/);
  await page.keyboard.press('Control+Shift+R');
  await waitForOperation(page);
  await expect(latestOperation(page)).toContainText('2 restored');
  expect(account.live('Reports/2024')).toEqual(expect.arrayContaining(['Batch 05.txt', 'Batch 06.txt']));
  expect(calls.filter((c) => c === 'ops:restore')).toHaveLength(1);
});

for (const kind of SERVER_KINDS) {
  test.describe(kind, () => {
    test.use({ serverKind: kind });

    test('conflict dialog: the full destination path, exact sizes and dates, which side is newer and which is larger', async ({
      page,
      host,
      account,
    }) => {
      account.addFile('Reports/2024', 'Batch 03.txt', 77); // newer (now) than the trashed one (deleted 3 minutes ago), and smaller
      await openTrash(page, host);
      await row(page, 'Batch 03.txt').locator('.cell-name').click();
      const conflicts = nextConflicts(page);
      await page.getByRole('button', { name: 'Restore', exact: true }).click();
      const [conflict] = await conflicts;
      expect(conflict!.source).toBe('existing');

      const dialog = page.getByRole('dialog', { name: '1 item already exists at the destination' });
      const item = conflictRow(page, 'Batch 03.txt');
      await expect(item.getByTestId('conflict-path')).toHaveText(folderLabel(conflict!.targetPath));
      expect(conflict!.targetPath).toMatch(/2024.*Batch 03\.txt$/);
      const trashed = item.getByRole('group', { name: 'In the trash' });
      const existing = item.getByRole('group', { name: 'Already there' });
      await expect(trashed).toContainText('3 KB (3,000 bytes)');
      await expect(trashed).toContainText('Larger');
      // A deletion and a change are not compared as "newer": the live file says it changed since.
      await expect(trashed).not.toContainText('Newer');
      await expect(trashed).not.toContainText('Changed since');
      await expect(trashed).toContainText(DATED('Deleted'));
      await expect(trashed).toContainText('3 minutes ago');
      await expect(existing).toContainText('77 bytes');
      await expect(existing).toContainText('Changed since');
      await expect(existing).toContainText(DATED('Last changed'));
      await expect(existing).not.toContainText('Larger');
      await expect(
        item
          .getByRole('radiogroup', { name: 'What to do with Batch 03.txt' })
          .getByRole('radio', { name: 'Keep both' }),
      ).toBeChecked();
      await lightAndDark(page, `${kind}-conflict-exact`);

      // Cancel changes nothing.
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(dialog).toHaveCount(0);
      expect(account.sizes('Reports/2024', 'Batch 03')).toEqual([77]);
      expect(account.trash()).toContain('Batch 03.txt');
    });

    test('the undo toast names the restored file and goes once it cannot undo any more', async ({
      page,
      host,
      account,
    }) => {
      await openTrash(page, host);
      await row(page, 'Batch 09.txt').locator('.cell-name').click();
      await page.getByRole('button', { name: 'Restore', exact: true }).click();
      const toast = page.getByTestId('undo-toast');
      await expect(toast).toContainText('Restored Batch 09.txt');
      await expect(toast.getByRole('button', { name: 'Undo' })).toBeVisible();
      await lightAndDark(page, `${kind}-undo-toast-named`);

      // Undo from the operations panel: the restore cannot be undone twice, so the toast goes and the card says why.
      const restoreCard = latestOperation(page);
      await restoreCard.getByRole('button', { name: 'Undo' }).click();
      await expect(toast).toHaveCount(0);
      await showEarlierBatches(page);
      await expect(page.getByTestId('operation').nth(1).getByRole('button', { name: 'Undo' })).toHaveCount(0);
      await expect(page.getByTestId('operation').nth(1).getByTestId('undo-note')).toContainText('Can’t undo:');
      await expect(latestOperation(page).getByTestId('operation-state')).toContainText(
        'Done — 1 moved back to the trash',
      );
      await expect(row(page, 'Batch 09.txt')).toHaveCount(1);
      expect(account.trash()).toContain('Batch 09.txt');
      await lightAndDark(page, `${kind}-undo-note`);
    });
  });
}

test('the toast counts only what was put back, and leaves after 10 s unless hovered or focused', async ({
  page,
  host,
  account,
}) => {
  await page.clock.install();
  account.addFile('Reports/2024', 'Batch 02.txt', 5);
  await openTrash(page, host);
  await selectRange(page, 'Batch 01.txt', 'Batch 04.txt');
  await page.getByRole('button', { name: 'Restore', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: '1 item already exists at the destination' });
  await conflictRow(page, 'Batch 02.txt').getByRole('radio', { name: 'Skip' }).check();
  await dialog.getByRole('button', { name: 'Restore' }).click();
  const toast = page.getByTestId('undo-toast');
  await expect(toast).toContainText('Restored 3 items');

  await toast.hover();
  await page.clock.fastForward(15_000);
  await expect(toast).toBeVisible();
  await page.mouse.move(5, 5);
  await toast.getByRole('button', { name: 'Undo' }).focus();
  await page.clock.fastForward(15_000);
  await expect(toast).toBeVisible();
  await page.getByRole('grid').focus();
  await page.clock.fastForward(11_000);
  await expect(toast).toHaveCount(0);
  // The batch, and its Undo, stay in the operations panel.
  await expect(latestOperation(page).getByRole('button', { name: 'Undo' })).toBeVisible();
  expect(account.trash()).toContain('Batch 02.txt');
});

test.describe('nextcloud', () => {
  test.use({ serverKind: 'nextcloud' });

  test('a long path wraps in full in the conflict dialog', async ({ page, host, account }) => {
    const dav = await webdav(host, account);
    const folder =
      'Quarterly planning and budget reviews for the whole organisation 2026/Board meeting material (final, approved, do not edit)';
    const name =
      'Budget 2026 — consolidated forecast with every department’s numbers, revised after the November review.xlsx';
    await dav.mkdirs(folder);
    await dav.put(`${folder}/${name}`, 2_345_678);
    await dav.trash(`${folder}/${name}`);
    await dav.put(`${folder}/${name}`, 1_234);
    await openTrash(page, host, name);
    await row(page, name).locator('.cell-name').click();
    await page.getByRole('button', { name: 'Restore', exact: true }).click();

    const item = conflictRow(page, name);
    const path = item.getByTestId('conflict-path');
    await expect(path).toHaveText(
      new RegExp(`${folder.split('/').join(' / ').replace(/[()]/g, '\\$&')} / ${name.replace(/[.()]/g, '\\$&')}$`),
    );
    // Shown whole: wrapped onto several lines inside the dialog, never cut with an ellipsis.
    const box = await path.evaluate((el) => ({
      scroll: el.scrollWidth,
      client: el.clientWidth,
      height: el.getBoundingClientRect().height,
      overflow: getComputedStyle(el.parentElement!).textOverflow,
    }));
    expect(box.scroll).toBeLessThanOrEqual(box.client);
    expect(box.height).toBeGreaterThan(20);
    expect(box.overflow).not.toBe('ellipsis');
    await expect(item.getByRole('group', { name: 'In the trash' })).toContainText('2.3 MB (2,345,678 bytes)');
    await expect(item.getByRole('group', { name: 'Already there' })).toContainText('1.2 KB (1,234 bytes)');
    await lightAndDark(page, 'nextcloud-conflict-long-path');
  });

  test('two selected items that would land on the same path: said plainly, Keep both by default', async ({
    page,
    host,
    account,
  }) => {
    const dav = await webdav(host, account);
    // A second "Batch 01.txt" from the same folder lands in the trash (deleted now, 500 bytes).
    await dav.put('Reports/2024/Batch 01.txt', 500);
    await dav.trash('Reports/2024/Batch 01.txt');
    await openTrash(page, host, 'Batch 02.txt');
    const both = row(page, 'Batch 01.txt');
    await expect(both).toHaveCount(2);
    await both.nth(0).locator('.cell-name').click();
    await both
      .nth(1)
      .locator('.cell-name')
      .click({ modifiers: ['ControlOrMeta'] });
    await page.getByRole('button', { name: 'Restore', exact: true }).click();

    await expect(
      page.getByRole('dialog', { name: 'Two selected items would be restored to the same path' }),
    ).toBeVisible();
    const item = conflictRow(page, 'Batch 01.txt');
    await expect(item).toContainText('Two selected items would be restored to this same path');
    await expect(item.getByRole('group', { name: 'Also selected' })).toContainText(DATED('Deleted'));
    // Both dates are deletions: the later one is marked as such (on one side only).
    await expect(item.getByText('Deleted later', { exact: true })).toHaveCount(1);
    await expect(item.getByRole('radio', { name: 'Keep both' })).toBeChecked();
    await lightAndDark(page, 'nextcloud-conflict-selection');
    await page.getByRole('dialog').getByRole('button', { name: 'Restore' }).click();
    await waitForOperation(page);
    expect(account.sizes('Reports/2024', 'Batch 01')).toEqual([500, 1000]);
  });
});
