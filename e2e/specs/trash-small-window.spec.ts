import { expect, test } from '../fixtures';
import { latestOperation, openTrash, row, rowsInView, shots, startIncident, waitForOperation } from './trash-helpers';

/**
 * Issue 22, item 3: at 800×560 (the desktop window's minimum) the list keeps at least eight rows
 * whatever else is open — the timeline with an event chosen, a running batch, finished batches and
 * the undo toast, the details pane — because panels fold (batches into one line) or lie over the
 * list's edge (details) instead of taking its room.
 */
test('at 800×560 at least eight rows stay in view with the timeline, an event, a running batch, finished batches and details open', async ({
  page,
  host,
}) => {
  test.setTimeout(120_000);
  const work = await startIncident(host);
  const other = await startIncident(host, { kind: 'owncloud10', label: 'ownCloud (home)', older: 10 });
  try {
    await page.setViewportSize({ width: 800, height: 560 });
    await openTrash(page, host, 'Minutes 40.md');
    const counts: Record<string, number> = {};
    counts.list = await rowsInView(page);

    // The timeline (folded by itself in a short window), opened, with the incident chosen.
    const toggle = page.getByRole('button', { name: /Timeline/ }).first();
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await toggle.click();
    await expect(page.getByTestId('deletion-timeline')).toBeVisible();
    // The chart keeps a readable height.
    expect((await page.getByTestId('deletion-timeline').boundingBox())!.height).toBeGreaterThanOrEqual(60);
    counts.timeline = await rowsInView(page);
    await page.getByTestId('deletion-event').first().locator('.event-summary').click();
    counts.event = await rowsInView(page);

    // Details open: over the list's right edge, not taking its rows.
    await page.getByRole('button', { name: 'Details', exact: true }).click();
    await expect(page.getByRole('complementary', { name: 'Details' })).toBeVisible();
    counts.details = await rowsInView(page);
    await shots(page, 'small-window-timeline-details');
    await page.getByRole('button', { name: 'Close details' }).click();

    // A batch running (of the other account, slowed), on one line.
    other.server.control.setLatency(600);
    await row(page, 'Minutes 40.md').filter({ hasText: 'ownCloud' }).locator('.cell-name').click();
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await expect(latestOperation(page).getByTestId('operation-state')).toContainText(/of 1|Waiting/);
    counts.running = await rowsInView(page);
    await shots(page, 'small-window-running');
    other.server.control.setLatency(0);
    await waitForOperation(page);

    // Two more finished batches and the undo toast (which lies over the list).
    for (const name of ['Minutes 39.md', 'Minutes 38.md']) {
      await row(page, name).first().locator('.cell-name').click();
      await page.getByRole('button', { name: 'Restore', exact: true }).click();
      await waitForOperation(page);
    }
    await expect(page.getByTestId('undo-toast')).toBeVisible();
    await expect(page.getByTestId('op-more')).toHaveText('2 more batches ▴');
    counts.finished = await rowsInView(page);
    await shots(page, 'small-window-finished');
    // The other batches open over the list on demand, and close again.
    await page.getByTestId('op-more').click();
    await expect(page.getByTestId('op-overlay').getByTestId('operation')).toHaveCount(2);
    await page.getByTestId('op-more').click();
    await expect(page.getByTestId('op-overlay')).toHaveCount(0);

    for (const [what, n] of Object.entries(counts)) expect(n, `rows in view with ${what}`).toBeGreaterThanOrEqual(8);
  } finally {
    await work.server.close();
    await other.server.close();
  }
});

test('at 800×560 the toolbar keeps to one line and says why actions wait, in the status bar', async ({
  page,
  host,
}) => {
  const work = await startIncident(host);
  const other = await startIncident(host, { kind: 'owncloud10', label: 'ownCloud (home)', older: 10 });
  try {
    await page.setViewportSize({ width: 800, height: 560 });
    await openTrash(page, host, 'Minutes 40.md');
    const toolbar = page.getByRole('toolbar', { name: 'Actions on the selection' });
    const height = (await toolbar.boundingBox())!.height;
    expect(height).toBeLessThan(50);
    // Two accounts selected: Restore to… cannot take them, and the status bar says so.
    await row(page, 'Minutes 40.md').nth(0).locator('.cell-name').click();
    await row(page, 'Minutes 40.md')
      .nth(1)
      .locator('.cell-name')
      .click({ modifiers: ['ControlOrMeta'] });
    await expect(toolbar.getByRole('button', { name: 'Restore to…' })).toBeDisabled();
    await expect(page.getByTestId('status-bar').getByTestId('restore-to-reason')).toBeVisible();
    expect((await toolbar.boundingBox())!.height).toBe(height);
    await shots(page, 'small-window-toolbar');
  } finally {
    await work.server.close();
    await other.server.close();
  }
});
