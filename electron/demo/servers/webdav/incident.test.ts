import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryServices } from '../../../services/index';
import { detectEvents, eventSummary } from '../../../../shared/events';
import { startWebDavServer } from './server';
import { demoIncidentStart, seedDemoIncident, seedDemoState } from './seed';

/** The demo's clock in this test: a fixed reading (the demo itself reads the time once when it opens). */
const NOW = Date.UTC(2026, 10, 26, 17, 4, 30);
const user = { id: 'demo', displayName: 'Dana Demo', password: 'demo-password', appPassword: 'demo-app' };
const startDemo = (now: number) =>
  startWebDavServer({
    kind: 'nextcloud',
    seed: (tree) => {
      seedDemoState(tree, user, 340, now);
      seedDemoIncident(tree, user.id, 150, now);
    },
  });

/**
 * The demo's incident (Nextcloud demo): detection finds it, and only it, among months of ordinary
 * deletions; restoring the event's items puts Projects/Client X back as it was — the folders
 * trashed whole come back as themselves, Specs/Old before the ten files deleted from it — and one
 * Undo puts it all back in the trash.
 */
describe('the demo incident', () => {
  it('is the one event of the Nextcloud demo, and restoring it rebuilds the project; Undo takes it back', async () => {
    const server = await startDemo(NOW);
    try {
      const tree = server.tree;
      const project = tree.resolve('demo', 'Projects/Client X')!;
      const walk = (id: number, prefix: string): string[] =>
        tree
          .children(id)
          .flatMap((n) =>
            n.kind === 'folder'
              ? [`${prefix}${n.name}/`, ...walk(n.id, `${prefix}${n.name}/`)]
              : [`${prefix}${n.name}`],
          );
      // The folders trashed whole, as the nodes they are in the trash.
      const trashedFolders = new Map(
        tree
          .trashOf('demo')
          .filter((x) => x.originalPath.startsWith('Projects/Client X/') && tree.node(x.nodeId).kind === 'folder')
          .map((x) => [x.originalPath, x.nodeId]),
      );
      expect([...trashedFolders.keys()].sort()).toEqual(
        ['Contracts/2025', 'Design/Mockups', 'Drafts', 'Specs/Old'].map((p) => `Projects/Client X/${p}`),
      );
      const trashedBefore = new Set(tree.user('demo').trash);

      const services = createMemoryServices();
      const account = await services.handlers['accounts:add']({
        serverUrl: server.url,
        kind: 'nextcloud',
        user: 'demo',
        secret: 'demo-app',
        label: 'Nextcloud (work)',
      });
      const items = await services.trash.readAll(account.id, null);
      expect(items.length).toBeGreaterThan(600);
      const events = detectEvents(items);
      expect(events).toHaveLength(1);
      const [e] = events;
      expect(e!.count).toBe(184);
      expect(Date.parse(e!.from)).toBe(Math.floor(demoIncidentStart(NOW) / 1000) * 1000);
      expect(e!.topFolder).toBe('/Projects/Client X');
      expect(eventSummary(e!, () => 'Nextcloud (work)')).toMatch(
        /^\w{3} \d{1,2} \w{3}, 14:02–14:0\d · 184 items · [\d.]+ MB · mostly Home \/ Projects \/ Client X · Nextcloud \(work\)$/,
      );

      // The live project as the incident left it: the emptied folders are there, Drafts, Specs/Old, Contracts/2025 and
      // Design/Mockups are not.
      expect(
        walk(project.id, '')
          .filter((p) => p.endsWith('/'))
          .sort(),
      ).toEqual(['Contracts/', 'Design/', 'Meetings/', 'Specs/']);

      const refs = e!.keys
        .map((k) => items.find((i) => i.key === k)!)
        .map((i) => ({ accountId: account.id, id: i.id }));
      const check = await services.handlers['ops:checkConflicts']({ items: refs, destination: { kind: 'original' } });
      expect(check).toEqual({ conflicts: [], missingFolders: [] });
      const op = await services.handlers['ops:restore']({
        items: refs,
        destination: { kind: 'original' },
        resolutions: {},
      });
      const done = await services.runner.wait(op.id);
      expect(done.results.filter((r) => r.outcome !== 'restored')).toEqual([]);
      expect(done.results).toHaveLength(184);
      // Everything that was in the project before the incident is back, and nothing else: 317 files in 9 folders.
      const after = walk(project.id, '');
      expect(after.filter((p) => p.endsWith('/')).sort()).toEqual([
        'Contracts/',
        'Contracts/2025/',
        'Design/',
        'Design/Mockups/',
        'Drafts/',
        'Drafts/Reviewed/',
        'Meetings/',
        'Specs/',
        'Specs/Old/',
      ]);
      expect(after.filter((p) => !p.endsWith('/'))).toHaveLength(317);
      for (const [path, id] of trashedFolders) expect(tree.resolve('demo', path)?.id, path).toBe(id);
      expect(new Set(tree.user('demo').trash).size).toBe(trashedBefore.size - 184);
      expect(after.some((p) => p.includes('(restored'))).toBe(false);
      expect(after).toContain('Specs/Old/Old spec 01.pdf');
      expect(after).toContain('Drafts/Reviewed/Reviewed draft 12.docx');

      // One Undo for the whole event.
      expect(done.undoable).toBe(true);
      const undo = await services.runner.wait((await services.handlers['ops:undo']({ operationId: op.id })).id);
      expect(undo.results.filter((r) => r.outcome !== 'trashed')).toEqual([]);
      expect(walk(project.id, '').filter((p) => !p.endsWith('/'))).toEqual([]);
      expect(tree.user('demo').trash.size).toBe(trashedBefore.size);
    } finally {
      await server.close();
    }
  }, 60_000);
});

/**
 * The incident's size does not depend on when the demo starts: whatever the clock reads (the
 * minutes past the hour the incident starts at, a DST change within the three days, a month end,
 * the year turning) and in whichever time zone, it is one event of exactly 184 items.
 */
describe('the demo incident at any clock reading', () => {
  const clocks = [
    ['a minute after the incident’s own minute past the hour (once 185 items)', Date.UTC(2026, 10, 26, 17, 3, 5)],
    ['just before the minute turns', Date.UTC(2026, 10, 26, 17, 2, 59, 999)],
    ['Europe’s spring DST change within the three days', Date.UTC(2026, 2, 30, 12, 5, 0)],
    ['America’s autumn DST change within the three days', Date.UTC(2026, 10, 3, 20, 6, 0)],
    ['the last second of a month', Date.UTC(2026, 1, 28, 23, 59, 59)],
    ['the year turning', Date.UTC(2027, 0, 1, 0, 0, 30)],
    ['a leap day', Date.UTC(2028, 1, 29, 14, 2, 7)],
  ] as const;
  const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham'];
  const savedTz = process.env.TZ;
  afterAll(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  for (const zone of zones) {
    it(`is one event of 184 items in ${zone}, for every clock`, async () => {
      process.env.TZ = zone;
      for (const [what, now] of clocks) {
        const server = await startDemo(now);
        try {
          const services = createMemoryServices();
          const account = await services.handlers['accounts:add']({
            serverUrl: server.url,
            kind: 'nextcloud',
            user: 'demo',
            secret: 'demo-app',
          });
          const events = detectEvents(await services.trash.readAll(account.id, null));
          expect(
            events.map((e) => [e.count, e.topFolder, Date.parse(e.from)]),
            `${zone}, ${what}`,
          ).toEqual([[184, '/Projects/Client X', Math.floor(demoIncidentStart(now) / 1000) * 1000]]);
          // 14:02 local on the day three days before, in this zone.
          const start = new Date(demoIncidentStart(now));
          expect([start.getHours(), start.getMinutes()], `${zone}, ${what}`).toEqual([14, 2]);
        } finally {
          await server.close();
        }
      }
    }, 120_000);
  }
});
