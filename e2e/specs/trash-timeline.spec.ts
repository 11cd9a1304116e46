import type { Page } from '@playwright/test';
import { expect, screenshot, test } from '../fixtures';
import type { FileTree } from '../../electron/demo/servers/tree';
import { startWebDavServer } from '../../electron/demo/servers/webdav/server';
import { seedTestState, WEBDAV_USERS } from '../../electron/demo/servers/webdav/seed';
import { grid, latestOperation, openTrash, row, waitForOperation } from './trash-helpers';

const DAY = 86_400_000;
const INCIDENT_FILES = 40;

/**
 * Months of ordinary deletions and one incident: three days ago, within a minute, a whole folder
 * (Projects/Client X/Drafts, 8 files) and 40 files one by one from Projects/Client X/Specs and
 * …/Contracts (those two folders stay). Ordinary deletions: 90 files from Documents and Photos,
 * one every ~2 days over six months.
 */
function seedIncident(tree: FileTree) {
  seedTestState(tree);
  const now = Date.now();
  for (let i = 0; i < 90; i++) {
    const folder = i % 3 === 0 ? 'Photos' : 'Documents';
    const at = now - 10 * DAY - i * 2 * DAY - ((i * 7919) % 86_400) * 1000;
    const node = tree.writeFile('alice', `${folder}/old ${String(i).padStart(2, '0')}.txt`, 1000 + i, {
      mtime: at - DAY,
      parents: true,
    });
    tree.trash(node.id, { at });
  }
  const start = now - 3 * DAY;
  for (let i = 0; i < 8; i++)
    tree.writeFile('alice', `Projects/Client X/Drafts/draft ${i}.docx`, 20_000, { mtime: start - DAY, parents: true });
  tree.trash(tree.resolve('alice', 'Projects/Client X/Drafts')!.id, { at: start });
  for (let i = 0; i < INCIDENT_FILES; i++) {
    const folder = i % 2 ? 'Specs' : 'Contracts';
    const node = tree.writeFile(
      'alice',
      `Projects/Client X/${folder}/lost ${String(i).padStart(2, '0')}.pdf`,
      50_000 + i,
      { mtime: start - DAY, parents: true },
    );
    tree.trash(node.id, { at: start + 1000 + i * 1500 });
  }
}

async function startIncidentServer(host: { invoke<T>(channel: string, payload: unknown): Promise<T> }) {
  const server = await startWebDavServer({ kind: 'nextcloud', seed: seedIncident });
  const user = WEBDAV_USERS.alice;
  await host.invoke('accounts:add', {
    serverUrl: server.url,
    kind: 'nextcloud',
    user: user.id,
    secret: user.appPassword,
    label: 'Nextcloud (work)',
  });
  const tree = server.tree;
  return {
    server,
    live: (path: string) => {
      const f = tree.resolve('alice', path);
      return f
        ? tree
            .children(f.id)
            .map((n) => n.name)
            .sort()
        : [];
    },
    trash: () => tree.trashOf('alice').map((e) => tree.node(e.nodeId).name),
  };
}

const count = async (page: Page) =>
  Number((await page.getByTestId('view-count').textContent())!.split(' ')[0]!.replace(/,/g, ''));

async function shots(page: Page, name: string) {
  await screenshot(page, `${name}-light`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

test('drag across the timeline filters the list; the date-range control follows, and the keyboard clears it', async ({
  page,
  host,
}) => {
  const s = await startIncidentServer(host);
  try {
    await page.setViewportSize({ width: 1400, height: 900 });
    await openTrash(page, host, 'lost 39.pdf');
    const total = await count(page);
    const chart = page.getByTestId('deletion-timeline');
    await expect(chart).toBeVisible();
    await expect(page.getByTestId('date-range')).toContainText('Any time');
    await shots(page, 'timeline-1400');

    // The right tenth of the timeline: the last days, with the incident, and none of the old deletions.
    const box = (await chart.locator('.u-over').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 8; i++)
      await page.mouse.move(box.x + box.width * (0.9 + (0.099 * i) / 8), box.y + box.height / 2);
    await page.mouse.up();
    await expect(page.getByTestId('date-range')).not.toContainText('Any time');
    await expect.poll(() => count(page)).toBeLessThan(total);
    await expect(row(page, 'lost 39.pdf')).toBeVisible();
    await expect(row(page, 'old 89.txt')).toHaveCount(0);
    const filtered = await count(page);
    expect(filtered).toBeGreaterThanOrEqual(INCIDENT_FILES + 1);

    // Escape on the focused timeline clears the range: every item again.
    await chart.focus();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('date-range')).toContainText('Any time');
    await expect.poll(() => count(page)).toBe(total);

    // The keyboard: Enter takes the bar under the cursor (the latest with deletions), Shift+← widens it.
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('date-range')).not.toContainText('Any time');
    const one = await count(page);
    expect(one).toBeGreaterThan(0);
    expect(one).toBeLessThan(total);
    await expect(page.getByTestId('timeline-readout')).not.toBeEmpty();
    const oneBar = (await page.getByTestId('date-range').textContent())!;
    for (let i = 0; i < 8; i++) await page.keyboard.press('Shift+ArrowLeft');
    await expect(page.getByTestId('date-range')).not.toHaveText(oneBar);
    await expect.poll(() => count(page)).toBeGreaterThan(one);

    // The date-range control sets the same range the timeline draws: "Any time" from its popover.
    await page.getByTestId('date-range').click();
    const when = page.getByRole('dialog', { name: 'Deleted when' });
    await expect(when.getByLabel('From')).not.toHaveValue('');
    await shots(page, 'timeline-date-range-1400');
    await when.getByRole('button', { name: 'Any time' }).click();
    await expect.poll(() => count(page)).toBe(total);
  } finally {
    await s.server.close();
  }
});

test('"Restore this event" restores the incident where it was; Undo puts it back in the trash', async ({
  page,
  host,
}) => {
  const s = await startIncidentServer(host);
  try {
    await page.setViewportSize({ width: 1400, height: 900 });
    await openTrash(page, host, 'lost 39.pdf');
    const total = await count(page);
    const event = page.getByTestId('deletion-event').filter({ hasText: 'mostly Home / Projects / Client X' });
    await expect(event).toHaveCount(1);
    await expect(event).toContainText(`${INCIDENT_FILES + 1} items`);
    await expect(event).toContainText('Nextcloud (work)');

    // Choosing the event shows its span and selects its items.
    await event
      .getByRole('button', { name: /mostly Home \/ Projects \/ Client X/ })
      .first()
      .click();
    await expect(page.getByTestId('selection-count')).toContainText(`${INCIDENT_FILES + 1} selected`);
    await expect(page.getByTestId('date-range')).not.toContainText('Any time');
    await expect(row(page, 'old 00.txt')).toHaveCount(0);
    await shots(page, 'timeline-event-1400');

    await event.getByRole('button', { name: /^Restore this event/ }).click();
    await waitForOperation(page);
    expect(s.live('Projects/Client X/Drafts')).toHaveLength(8);
    expect(s.live('Projects/Client X/Specs')).toHaveLength(INCIDENT_FILES / 2);
    expect(s.live('Projects/Client X/Contracts')).toHaveLength(INCIDENT_FILES / 2);
    expect(s.trash().filter((n) => n.startsWith('lost ') || n === 'Drafts')).toEqual([]);
    expect(s.trash().filter((n) => n.startsWith('old '))).toHaveLength(90);
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expect.poll(() => count(page)).toBe(total - INCIDENT_FILES - 1);

    // One Undo takes the whole event back to the trash.
    await page.getByTestId('undo-toast').getByRole('button', { name: 'Undo' }).click();
    await expect(page.getByTestId('operation').first()).toContainText('Undo');
    await waitForOperation(page);
    await expect.poll(() => count(page)).toBe(total);
    expect(s.live('Projects/Client X/Specs')).toEqual([]);
    expect(s.live('Projects/Client X/Contracts')).toEqual([]);
    expect(s.trash().filter((n) => n.startsWith('lost '))).toHaveLength(INCIDENT_FILES);
    expect(s.trash()).toContain('Drafts');
    // Back as it was: deleted three days ago (so further down the list), marked as moved back by Salvage.
    await page.getByRole('searchbox', { name: 'Search the trash' }).fill('lost 00.pdf');
    const lost = grid(page).getByRole('row').filter({ hasText: 'lost 00.pdf' });
    await expect(lost).toHaveCount(1);
    await expect(lost).toContainText('3 days ago');
    await expect(lost.getByTestId('salvage-move')).toHaveText('moved back');
    await expect(
      page.getByTestId('deletion-event').filter({ hasText: 'mostly Home / Projects / Client X' }),
    ).toContainText(`${INCIDENT_FILES + 1} items`);
  } finally {
    await s.server.close();
  }
});

test('at 800×560 the timeline folds, opens from its header, and the list keeps its room', async ({ page, host }) => {
  const s = await startIncidentServer(host);
  try {
    // Open by itself in a tall window; made short, it folds (the user had not chosen).
    await page.setViewportSize({ width: 1400, height: 900 });
    await openTrash(page, host, 'lost 39.pdf');
    const toggle = page.getByRole('button', { name: 'Timeline' });
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await page.setViewportSize({ width: 800, height: 560 });
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await shots(page, 'timeline-800-folded');
    await toggle.click();
    await expect(page.getByTestId('deletion-timeline')).toBeVisible();
    await expect(page.getByTestId('deletion-event')).toHaveCount(1);
    const list = (await grid(page).boundingBox())!;
    expect(list.height).toBeGreaterThan(120);
    await shots(page, 'timeline-800-open');
  } finally {
    await s.server.close();
  }
});

test('demo: the incident is on the timeline; "Restore this event" restores it where it was and Undo puts it back', async ({
  page,
  host,
}) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await host.open(page);
  await page.getByRole('button', { name: 'Open the demo' }).click();
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-complete', 'true', { timeout: 30_000 });
  const event = page.getByTestId('deletion-event').filter({ hasText: 'mostly Home / Projects / Client X' });
  await expect(event).toHaveCount(1);
  await expect(event).toContainText('Nextcloud (demo)');
  const n = Number(/([\d,]+) items/.exec((await event.textContent())!)![1]!.replace(/,/g, ''));
  expect(n).toBeGreaterThan(100);
  await shots(page, 'timeline-demo-1400');

  await event
    .getByRole('button', { name: /mostly Home \/ Projects \/ Client X/ })
    .first()
    .click();
  await expect(page.getByTestId('selection-count')).toContainText(`${n.toLocaleString('en-US')} selected`);
  await page.mouse.move(700, 20);
  await shots(page, 'timeline-demo-event-1400');

  const accounts = await host.invoke<{ id: string; label: string }[]>('accounts:list');
  const nextcloud = accounts.find((a) => a.label === 'Nextcloud (demo)')!;
  // The whole listing, page by page (what may be Salvage's own moves comes with the last page).
  const trashNames = async () => {
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { name: string }[]; cursor: string | null } = await host.invoke('trash:list', {
        accountId: nextcloud.id,
        parentId: null,
        cursor,
      });
      names.push(...page.items.map((i) => i.name));
      cursor = page.cursor;
    } while (cursor);
    return names;
  };
  expect(await trashNames()).toEqual(expect.arrayContaining(['Drafts', 'Spec 01.pdf', 'Minutes 40.md']));

  await event.getByRole('button', { name: /^Restore this event/ }).click();
  await waitForOperation(page);
  await expect(latestOperation(page)).toContainText(`${n.toLocaleString('en-US')} restored`);
  await expect(event).toHaveCount(0);
  const after = await trashNames();
  for (const name of ['Drafts', 'Spec 01.pdf', 'Minutes 40.md', 'Old', 'Old spec 01.pdf'])
    expect(after).not.toContain(name);
  await shots(page, 'timeline-demo-restored-1400');

  // One Undo: the whole incident is back in the trash, and the event with it.
  await page.getByTestId('undo-toast').getByRole('button', { name: 'Undo' }).click();
  await expect(latestOperation(page)).toContainText('Undo');
  await waitForOperation(page);
  await expect(event).toHaveCount(1);
  expect(await trashNames()).toEqual(expect.arrayContaining(['Drafts', 'Spec 01.pdf', 'Minutes 40.md']));
});

test('an event in which Nextcloud lost same-named files deleted in one second says how many copies it lost', async ({
  page,
  host,
}) => {
  // 20 reports, then notes.txt from four team folders in one second: the server keeps one trash
  // file of that name and its activity records name all four deletions (deleted once the server
  // runs, so that its activity app records them).
  const server = await startWebDavServer({ kind: 'nextcloud', seed: seedTestState });
  const tree = server.tree;
  const at = Math.floor(Date.now() / 1000) * 1000 - 2 * DAY;
  for (let i = 0; i < 20; i++) {
    const node = tree.writeFile('alice', `Reports/report ${String(i).padStart(2, '0')}.pdf`, 1000 + i, {
      mtime: at - DAY,
      parents: true,
    });
    tree.trash(node.id, { at: at + i * 1000 });
  }
  for (let i = 0; i < 4; i++) {
    const node = tree.writeFile('alice', `Team ${i}/notes.txt`, 10 + i, { mtime: at - DAY, parents: true });
    tree.trash(node.id, { at: at + 25_000 });
  }
  try {
    const user = WEBDAV_USERS.alice;
    await host.invoke('accounts:add', {
      serverUrl: server.url,
      kind: 'nextcloud',
      user: user.id,
      secret: user.appPassword,
      label: 'Nextcloud (team)',
    });
    await openTrash(page, host, 'report 19.pdf');
    const event = page.getByTestId('deletion-event').filter({ hasText: 'Nextcloud (team)' });
    await expect(event).toHaveCount(1);
    await expect(event).toContainText('21 items');
    await expect(event).toContainText('3 copies lost by the server');
    await screenshot(page, 'timeline-event-losses');
  } finally {
    await server.close();
  }
});
