import { expect, type Page } from '@playwright/test';
import { screenshot, seedTrashWindowTree, test } from '../fixtures';
import { startWebDavServer, type WebDavServer } from '../../electron/demo/servers/webdav/server';
import { WEBDAV_USERS } from '../../electron/demo/servers/webdav/seed';

/**
 * The watch in the browser host: a burst of deletions among ordinary work on the Nextcloud test
 * server raises one browser notification (Notifications API; the permission granted in the context,
 * the notification seen through a Notification stand-in installed before the page's scripts) naming
 * the folder, count and account; a click shows the event in the window, selected and ready for
 * "Restore this event". The test drives the checks (watch:checkNow) instead of waiting minutes.
 */

/** Records every notification the page makes; the tab counts as in the background (so notifications show). */
async function recordNotifications(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { Notification: typeof Notification; __shown: unknown[]; __asked: number };
    const Real = w.Notification;
    w.__shown = [];
    w.__asked = 0;
    class Recorded {
      onclick: (() => void) | null = null;
      closed = false;
      constructor(
        readonly title: string,
        readonly options: NotificationOptions = {},
      ) {
        w.__shown.push(this);
      }
      close() {
        this.closed = true;
      }
      static get permission() {
        return Real.permission;
      }
      static requestPermission() {
        w.__asked++;
        return Real.requestPermission();
      }
    }
    w.Notification = Recorded as unknown as typeof Notification;
    document.hasFocus = () => false;
  });
}

const shown = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { __shown: { title: string; options: { body?: string; tag?: string } }[] }).__shown.map(
      (n) => ({ title: n.title, body: n.options.body ?? '', tag: n.options.tag ?? '' }),
    ),
  );

let server: WebDavServer;
test.beforeEach(async () => {
  server = await startWebDavServer({ kind: 'nextcloud', seed: seedTrashWindowTree });
});
test.afterEach(async () => {
  await server.close();
});

const burst = (n: number, folder: string) => {
  const start = Math.ceil(Date.now() / 1000) * 1000 + 5 * 60_000; // clear of the seed's deletions
  for (let i = 0; i < n; i++) {
    const node = server.tree.writeFile('alice', `${folder}/${i % 4 === 0 ? 'Drafts/' : ''}Report ${i}.docx`, 2048, {
      parents: true,
    });
    server.tree.trash(node.id, { at: start + i * 110 });
    if (i % 100 === 0) server.tree.writeFile('alice', `Notes/ordinary ${i}.txt`, 10, { parents: true }); // ordinary work goes on
  }
};

test('500 files deleted in a minute: one browser notification naming folder, count and account; a click shows the event', async ({
  host,
  page,
  context,
}) => {
  const user = WEBDAV_USERS.alice;
  await host.invoke('accounts:add', {
    serverUrl: server.url,
    kind: 'nextcloud',
    user: user.id,
    secret: user.appPassword,
    label: 'alice@nextcloud.test',
  });
  await context.grantPermissions(['notifications'], { origin: host.url });
  await recordNotifications(page);
  await host.open(page);
  await expect(page.getByTestId('watch-status')).toContainText('Watching 1 account every 5 min');
  await host.invoke('watch:checkNow'); // the first check: what is in the trash now is not news
  await expect(page.getByTestId('watch-status')).toContainText(/checked \d{1,2}:\d\d/);

  burst(500, 'Projects/Client X');
  await host.invoke('watch:checkNow');
  const expected = {
    title: '500 files deleted from Home / Projects / Client X within a minute',
    body: 'Nextcloud, Alice Adams',
  };
  await expect.poll(() => shown(page)).toEqual([expect.objectContaining(expected)]);
  await expect(page.getByTestId('watch-alert')).toContainText(`${expected.title} — ${expected.body}`);
  // Nothing new on the next check: no second notification.
  await host.invoke('watch:checkNow');
  expect(await shown(page)).toHaveLength(1);

  // The click: the tab comes forward on the event, its 500 items selected, "Restore this event" beside it.
  await page.evaluate(() => (window as unknown as { __shown: { onclick: () => void }[] }).__shown[0]!.onclick());
  await expect(page.getByTestId('selection-count')).toContainText('500 selected');
  const event = page.getByTestId('deletion-event').filter({ hasText: '500 items' });
  await expect(event.getByRole('button', { pressed: true })).toContainText('mostly Home / Projects / Client X');
  await expect(event.getByRole('button', { name: /^Restore this event/ })).toBeEnabled();
  await expect(page.getByText('500 files deleted from Home / Projects / Client X')).toBeVisible();

  for (const [w, h] of [
    [800, 560],
    [1400, 900],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await screenshot(page, `watch-alert-${w}x${h}`);
  }
});

test('the permission is asked when the user turns a watch on, not on load; no alert for a quiet trash or the demo', async ({
  host,
  page,
}) => {
  await recordNotifications(page);
  await host.invoke('accounts:openDemo');
  await host.open(page);
  await expect(page.getByTestId('watch-status')).toContainText('Not watching for deletions');
  await host.invoke('watch:checkNow');
  expect(await page.evaluate(() => (window as unknown as { __asked: number }).__asked)).toBe(0);

  // The demo is watched only when the user turns it on: the settings say so, and turning it on asks the browser.
  await page.getByTestId('watch-status').getByRole('button', { name: 'Watch settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Watch for deletions' });
  await expect(dialog.getByTestId('watch-account-status').first()).toContainText(
    'demo accounts are not watched unless you turn it on',
  );
  await dialog.getByRole('checkbox', { name: /^Watch Nextcloud/ }).check();
  await expect.poll(() => page.evaluate(() => (window as unknown as { __asked: number }).__asked)).toBe(1);
  await dialog.getByRole('button', { name: 'Check now' }).click();
  await expect(dialog.getByTestId('watch-account-status').filter({ hasText: /Checked \d{1,2}:\d\d/ })).toHaveCount(1);
  await screenshot(page, 'watch-settings');
  await dialog.getByRole('button', { name: 'Close' }).click();
  // A trash nobody touches: nothing to say.
  await host.invoke('watch:checkNow');
  await expect(page.getByTestId('watch-alert')).toHaveCount(0);
  expect(await shown(page)).toEqual([]);
});
