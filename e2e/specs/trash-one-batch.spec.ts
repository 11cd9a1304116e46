import { expect, test } from '../fixtures';
import { latestOperation, openTrash, row, shots, startIncident } from './trash-helpers';

/**
 * Issue 22, item 1: while a batch works on items, nothing starts a second batch on them — every
 * action that would is disabled and says which batch it waits for — and a result line names the
 * file as the user knows it, never by its raw trash entry name ("Asset 26.svg.d1796605326").
 */
test('while "Restore this event" runs, every action on its items waits and says why; results name the files as the user knows them', async ({
  page,
  host,
}) => {
  test.setTimeout(120_000);
  const s = await startIncident(host);
  try {
    await page.setViewportSize({ width: 1400, height: 900 });
    await openTrash(page, host, 'Minutes 40.md');
    const event = page.getByTestId('deletion-event').first();
    await expect(event).toContainText('184 items');
    // The names the user knows: the server's own names of the trashed items (not their trash entry names).
    const known = new Set(s.trash());

    // Slow enough to act while it runs (each request waits 800 ms on the server).
    await event.getByRole('button', { name: /^Restore this event/ }).click();
    s.server.control.setLatency(800);
    const card = latestOperation(page);
    await expect(card.getByTestId('operation-state')).toContainText(' of 184', { timeout: 20_000 });

    // The event's own button: disabled, with the running batch named beside it.
    await expect(event.getByRole('button', { name: /^Restore this event/ })).toBeDisabled();
    await expect(event.getByTestId('event-wait')).toContainText(
      '“Restore 184 items to where they were” is still running on these items',
    );
    await shots(page, 'one-batch-event-running');

    // One of its items selected: Restore, Restore to…, Delete wait too, and the reason is beside them.
    await row(page, 'Minutes 40.md').locator('.cell-name').click();
    await expect(row(page, 'Minutes 40.md')).toHaveAttribute('aria-busy', 'true');
    for (const name of ['Restore', 'Restore to…', 'Delete permanently'])
      await expect(
        page.getByRole('toolbar', { name: 'Actions on the selection' }).getByRole('button', { name, exact: true }),
      ).toBeDisabled();
    await expect(page.getByTestId('selection-busy')).toHaveText(
      'Wait: “Restore 184 items to where they were” is still running on this item',
    );
    // The shortcut and the Delete key do nothing either.
    await page.getByTestId('trash-grid').focus();
    await page.keyboard.press('Control+Shift+R');
    await page.keyboard.press('Delete');
    await expect(page.getByRole('alertdialog')).toHaveCount(0);
    // Empty trash of this very account waits for the batch.
    await page
      .getByRole('navigation', { name: 'Accounts' })
      .getByRole('button', { name: /^Nextcloud \(work\)/ })
      .click();
    await expect(page.getByRole('button', { name: 'Empty trash' })).toBeDisabled();
    await expect(page.getByTestId('empty-blocked')).toContainText('is still running on Nextcloud (work)');
    await shots(page, 'one-batch-item-waits');

    s.server.control.setLatency(0);
    // The rest of the 184 (the machine may be slow; this is no timing assertion).
    await expect(card.getByTestId('operation-state')).toContainText('Done — 184 restored', { timeout: 90_000 });
    await expect(page.getByRole('button', { name: 'Empty trash' })).toBeEnabled();

    // The same batch sent again (as a second click used to): every item is named as the user knows it.
    const results = await host.invoke<{ results: { key: string }[] }[]>('ops:list');
    const keys = results
      .at(-1)!
      .results.map((r) => r.key)
      .slice(0, 5);
    const again = await host.invoke<{ id: string }>('ops:restore', {
      items: keys.map((k) => ({ accountId: s.id, id: k.slice(s.id.length + 1) })),
      destination: { kind: 'original' },
      resolutions: {},
    });
    await expect(latestOperation(page).getByTestId('operation-state')).toContainText('5 failed');
    await latestOperation(page).getByRole('button', { name: 'Details' }).click();
    const lines = latestOperation(page)
      .getByRole('list', { name: /^Results of/ })
      .getByRole('listitem');
    await expect(lines).toHaveCount(5);
    for (const text of await lines.allTextContents()) {
      expect(text).not.toMatch(/\.d\d{6,}/);
      const [name, rest] = text.split(' — ', 2);
      expect(known.has(name!), `${name} is a name the user knows`).toBe(true);
      expect(rest).toMatch(/^failed: It is no longer there/);
    }
    expect(again.id).toBeTruthy();
  } finally {
    await s.server.close();
  }
});
