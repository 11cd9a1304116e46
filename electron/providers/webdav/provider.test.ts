import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Conflict, ItemResult, Resolution, TrashItem } from '../../../shared/model';
import { startWebDavServer, type WebDavServer } from '../../demo/servers/webdav/server';
import { WEBDAV_USERS } from '../../demo/servers/webdav/seed';
import type { AccountConfig, BatchContext, Landed } from '../types';
import { WebDavProvider } from './provider';
import { createParseHost, type ParseHost } from './trashStream';

const alice = WEBDAV_USERS.alice;

/** The parse host the app makes (the listing worker), counting the listings that go through it. */
const worker = createParseHost();
let listings = 0;
const parseHost: ParseHost = {
  get mode() {
    return worker.mode;
  },
  fetch(...args) {
    listings++;
    return worker.fetch(...args);
  },
};

function batch(options: { resolutions?: Record<string, Resolution>; answer?: (c: Conflict) => Resolution } = {}) {
  const results: ItemResult[] = [];
  const landed = new Map<string, Landed>();
  const asked: Conflict[] = [];
  const ctx: BatchContext = {
    signal: new AbortController().signal,
    itemDone(result, extra) {
      results.push(result);
      if (extra?.landed) landed.set(result.key, extra.landed);
    },
    progress() {},
    resolutionFor: (key) => options.resolutions?.[key],
    ask: async (c) => {
      asked.push(c);
      return options.answer?.(c) ?? 'skip';
    },
  };
  return { ctx, results, landed, asked };
}

for (const kind of ['owncloud10', 'nextcloud', 'ocis'] as const) {
  describe(`WebDAV provider against the ${kind} test server`, () => {
    let server: WebDavServer;
    const account = (): AccountConfig => ({
      id: 'acc1',
      kind,
      label: 'test',
      serverUrl: server.url,
      user: alice.id,
      userId: alice.id,
      userName: alice.id,
      demo: false,
    });
    const provider = (secret: string = alice.appPassword) =>
      new WebDavProvider(
        kind,
        account(),
        { user: alice.id, secret },
        { parseHost, http: { retries: 0, timeoutMs: 10_000 } },
      );
    const list = async (p: WebDavProvider, parentId: string | null = null) => {
      const all: TrashItem[] = [];
      for await (const chunk of p.listTrash(parentId)) all.push(...chunk.items);
      return all;
    };
    const byName = (items: TrashItem[], name: string, folder?: string) => {
      const found = items.find((i) => i.name === name && (folder === undefined || i.originalFolder === folder));
      if (!found)
        throw new Error(`${name} not listed; got ${items.map((i) => `${i.originalFolder}|${i.name}`).join(', ')}`);
      return found;
    };
    const files = () => server.tree.snapshot(alice.id).files;

    beforeAll(async () => {
      server = await startWebDavServer({ kind });
    });
    afterAll(async () => {
      await server.close();
    });
    beforeEach(() => {
      server.control.reset();
    });

    it('lists through the parse host it is given: the listing worker (the real parse path)', async () => {
      const before = listings;
      expect((await list(provider())).length).toBeGreaterThan(0);
      expect(listings).toBe(before + 1);
      expect(parseHost.mode).toBe('worker');
    });

    it('checks the connection and learns the user id and display name', async () => {
      await expect(provider().checkConnection()).resolves.toEqual({ userId: 'alice', userName: 'Alice Adams' });
    });

    it('maps 401 to AUTH_FAILED', async () => {
      await expect(provider('wrong').checkConnection()).rejects.toMatchObject({ code: 'AUTH_FAILED' });
      await expect(list(provider('wrong'))).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    });

    it('lists the trash with names kept as strings and original folders', async () => {
      const items = await list(provider());
      expect(items.map((i) => i.name).sort()).toEqual(
        [
          '1e3.txt',
          '2024.10',
          'Old',
          'Projects',
          'letter.txt',
          'notes.txt',
          'report.pdf',
          'report.pdf.tmp',
          'weird #?%+ & ü [1].txt',
        ].sort(),
      );
      const report = byName(items, 'report.pdf');
      expect(report).toMatchObject({
        kind: 'file',
        size: 4096,
        originalFolder: '/Documents',
        originalFolderId: '/Documents',
        ext: 'pdf',
        parentId: null,
        key: `acc1:${report.id}`,
      });
      expect(report.deletedAt).toMatch(/^2026-11-20T/);
      expect(byName(items, '2024.10')).toMatchObject({ ext: '10', originalFolder: '/' });
      expect(byName(items, 'Projects')).toMatchObject({ kind: 'folder', ext: '', mimeType: null });
      if (kind === 'nextcloud') {
        expect(report.id).toMatch(/^report\.pdf\.d\d+$/);
        expect(byName(items, 'Projects').size).toBe(350); // recursive oc:size
        expect(report.deletedBy).toBe('Alice Adams');
      } else if (kind === 'owncloud10') {
        expect(report.id).toMatch(/^\d+$/);
      } else {
        // "<space id>!<key>": the personal space's id, then reva's node uuid; folder sizes from allprop.
        expect(report.id).toMatch(/^storage-users-1\$[0-9a-f-]+![0-9a-f]{8}-[0-9a-f]{4}-/);
        expect(byName(items, 'Projects').size).toBe(350);
      }
    });

    it('browses into a trashed folder, two levels deep', async () => {
      const p = provider();
      const projects = byName(await list(p), 'Projects');
      const inside = await list(p, projects.id);
      expect(inside.map((i) => i.name).sort()).toEqual(['drafts', 'plan.md']);
      const drafts = byName(inside, 'drafts');
      expect(drafts).toMatchObject({ kind: 'folder', parentId: projects.id, originalFolder: '/Projects' });
      expect(drafts.id.startsWith(`${projects.id}/`)).toBe(true);
      const deeper = await list(p, drafts.id);
      expect(deeper.map((i) => [i.name, i.originalFolder])).toEqual([['v1.txt', '/Projects/drafts']]);
    });

    it('restores to the original place', async () => {
      const p = provider();
      const notes = byName(await list(p), 'notes.txt');
      const b = batch();
      await p.restore([notes], { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
      expect(b.results).toEqual([
        { key: notes.key, name: 'notes.txt', outcome: 'restored', finalPath: '/notes.txt', error: null },
      ]);
      expect(b.landed.get(notes.key)).toMatchObject({
        ref: '/notes.txt',
        name: 'notes.txt',
        kind: 'file',
        replaced: null,
      });
      expect(files()).toContain('/notes.txt');
      expect((await list(p)).some((i) => i.id === notes.id)).toBe(false);
    });

    it('restores into another folder (and nothing is left at the original place)', async () => {
      const p = provider();
      const notes = byName(await list(p), 'notes.txt');
      const b = batch();
      await p.restore([notes], { kind: 'folder', folderId: '/Photos' }, { recreateMissingFolders: false }, b.ctx);
      expect(b.results[0]).toMatchObject({ outcome: 'restored', finalPath: '/Photos/notes.txt' });
      expect(files()).toContain('/Photos/notes.txt');
      expect(files()).not.toContain('/notes.txt');
    });

    it('restores an item out of a trashed folder, recreating its folders when asked', async () => {
      const p = provider();
      const projects = byName(await list(p), 'Projects');
      const drafts = byName(await list(p, projects.id), 'drafts');
      const v1 = byName(await list(p, drafts.id), 'v1.txt');
      const refused = batch();
      await p.restore([v1], { kind: 'original' }, { recreateMissingFolders: false }, refused.ctx);
      expect(refused.results[0]).toMatchObject({ outcome: 'failed', error: { code: 'DEST_MISSING' } });
      const b = batch();
      await p.restore([v1], { kind: 'original' }, { recreateMissingFolders: true }, b.ctx);
      expect(b.results[0]).toMatchObject({ outcome: 'restored', finalPath: '/Projects/drafts/v1.txt' });
      expect(files()).toContain('/Projects/drafts/v1.txt');
    });

    it('reports a missing original folder (409) as DEST_MISSING and finds it in the pre-check', async () => {
      const p = provider();
      const old = byName(await list(p), 'Old');
      const inside = await list(p, old.id);
      expect(inside).toEqual([]);
      // letter.txt was deleted from Old/ before Old itself was deleted: it is a top-level item.
      const items = await list(p);
      const top = items.find((i) => i.originalFolder === '/Old');
      expect(top?.name).toBe('letter.txt');
      const pre = await p.findConflicts([top!], { kind: 'original' });
      expect(pre.missingFolders).toEqual(['/Old']);
      const b = batch();
      await p.restore([top!], { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
      expect(b.results[0]).toMatchObject({ outcome: 'failed', error: { code: 'DEST_MISSING' } });
      expect((await list(p)).some((i) => i.id === top!.id)).toBe(true);
    });

    it('answers 409 from the server on a MOVE into a missing folder as DEST_MISSING', async () => {
      const p = provider();
      const notes = byName(await list(p), 'notes.txt');
      const b = batch();
      await p.restore([notes], { kind: 'folder', folderId: '/Nope/Deeper' }, { recreateMissingFolders: false }, b.ctx);
      expect(b.results[0]).toMatchObject({ outcome: 'failed', error: { code: 'DEST_MISSING' } });
    });

    describe('conflicts: Documents/report.pdf exists', () => {
      const setup = async () => {
        const p = provider();
        const report = byName(await list(p), 'report.pdf');
        const pre = await p.findConflicts([report], { kind: 'original' });
        expect(pre.conflicts).toHaveLength(1);
        expect(pre.conflicts[0]).toMatchObject({
          itemKey: report.key,
          targetPath: '/Documents/report.pdf',
          existing: { size: 2048, kind: 'file' },
          trashed: { size: 4096 },
        });
        return { p, report };
      };

      it('Replace puts the trashed one in place and the existing one in the trash', async () => {
        const { p, report } = await setup();
        const liveId = server.tree.resolve(alice.id, 'Documents/report.pdf')!.id;
        const b = batch({ resolutions: { [report.key]: 'replace' } });
        await p.restore([report], { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
        expect(b.results[0]).toMatchObject({ outcome: 'replaced', finalPath: '/Documents/report.pdf' });
        expect(server.tree.resolve(alice.id, 'Documents/report.pdf')!.size).toBe(4096);
        expect(server.tree.trashOf(alice.id).some((e) => e.nodeId === liveId)).toBe(true);
        expect(files().filter((f) => f.startsWith('/Documents/report'))).toEqual(['/Documents/report.pdf']);
      });

      it('Keep both restores it as "report (restored).pdf", then "report (restored 2).pdf"', async () => {
        const { p, report } = await setup();
        const b = batch({ resolutions: { [report.key]: 'keep-both' } });
        await p.restore([report], { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
        expect(b.results[0]).toMatchObject({ outcome: 'renamed', finalPath: '/Documents/report (restored).pdf' });
        expect(server.tree.resolve(alice.id, 'Documents/report.pdf')!.size).toBe(2048);
        // Another report.pdf into the same folder → "(restored 2)".
        server.tree.trash(server.tree.writeFile(alice.id, 'Documents/report.pdf', 1).id);
        server.tree.writeFile(alice.id, 'Documents/report.pdf', 2);
        const again = (await list(p)).find((i) => i.name === 'report.pdf')!;
        const b2 = batch({ resolutions: { [again.key]: 'keep-both' } });
        await p.restore([again], { kind: 'original' }, { recreateMissingFolders: false }, b2.ctx);
        expect(b2.results[0]).toMatchObject({ outcome: 'renamed', finalPath: '/Documents/report (restored 2).pdf' });
      });

      it('Skip leaves both untouched', async () => {
        const { p, report } = await setup();
        const before = server.tree.snapshot(alice.id);
        const b = batch({ resolutions: { [report.key]: 'skip' } });
        await p.restore([report], { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
        expect(b.results[0]).toMatchObject({ outcome: 'skipped', finalPath: null });
        expect(server.tree.snapshot(alice.id)).toEqual(before);
      });

      it('asks mid-batch when nothing was chosen, and follows the answer', async () => {
        const { p, report } = await setup();
        const b = batch({ answer: () => 'keep-both' });
        await p.restore([report], { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
        expect(b.asked).toHaveLength(1);
        expect(b.asked[0]).toMatchObject({ targetPath: '/Documents/report.pdf', canReplace: true });
        expect(b.results[0]).toMatchObject({ outcome: 'renamed', finalPath: '/Documents/report (restored).pdf' });
      });

      it('honours each choice when restoring into another folder', async () => {
        const p = provider();
        const notes = byName(await list(p), 'notes.txt');
        server.tree.writeFile(alice.id, 'Shared/notes.txt', 1);
        const b = batch({ resolutions: { [notes.key]: 'keep-both' } });
        await p.restore([notes], { kind: 'folder', folderId: '/Shared' }, { recreateMissingFolders: false }, b.ctx);
        expect(b.results[0]).toMatchObject({ outcome: 'renamed', finalPath: '/Shared/notes (restored).txt' });
        expect(files()).not.toContain('/notes.txt');

        const report = byName(await list(p), 'report.pdf');
        server.tree.writeFile(alice.id, 'Shared/report.pdf', 1);
        const r = batch({ resolutions: { [report.key]: 'replace' } });
        await p.restore([report], { kind: 'folder', folderId: '/Shared' }, { recreateMissingFolders: false }, r.ctx);
        expect(r.results[0]).toMatchObject({ outcome: 'replaced', finalPath: '/Shared/report.pdf' });
        expect(server.tree.resolve(alice.id, 'Shared/report.pdf')!.size).toBe(4096);
        expect(server.tree.resolve(alice.id, 'Documents/report.pdf')!.size).toBe(2048);

        const one = byName(await list(p), '1e3.txt');
        server.tree.writeFile(alice.id, 'Shared/1e3.txt', 1);
        const s = batch({ resolutions: { [one.key]: 'skip' } });
        await p.restore([one], { kind: 'folder', folderId: '/Shared' }, { recreateMissingFolders: false }, s.ctx);
        expect(s.results[0]).toMatchObject({ outcome: 'skipped' });
        expect((await list(p)).some((i) => i.name === '1e3.txt')).toBe(true);
      });
    });

    it('round-trips hostile names through list and restore', async () => {
      const p = provider();
      const weird = byName(await list(p), 'weird #?%+ & ü [1].txt');
      expect(weird.originalFolder).toBe('/Documents');
      const b = batch();
      await p.restore([weird], { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
      expect(b.results[0]).toMatchObject({ outcome: 'restored', finalPath: '/Documents/weird #?%+ & ü [1].txt' });
      expect(files()).toContain('/Documents/weird #?%+ & ü [1].txt');

      const folder = await p.createFolder('/', 'Ünïcode #1 + 50% ?');
      expect(folder.id).toBe('/Ünïcode #1 + 50% ?');
      const num = byName(await list(p), '2024.10');
      const b2 = batch();
      await p.restore([num], { kind: 'folder', folderId: folder.id }, { recreateMissingFolders: false }, b2.ctx);
      expect(b2.results[0]).toMatchObject({ outcome: 'restored', finalPath: '/Ünïcode #1 + 50% ?/2024.10' });
      const listed = await p.listFolders(null);
      expect(listed.children.map((c) => c.name)).toContain('Ünïcode #1 + 50% ?');
    });

    it('never writes outside the files tree for a hostile original location', async () => {
      const entry = server.tree.trashOf(alice.id).find((e) => e.originalPath === 'notes.txt')!;
      entry.originalPath = '../../bob/files/notes.txt';
      const p = provider();
      const notes = byName(await list(p), 'notes.txt');
      expect(notes.originalFolderId).toBeNull();
      const b = batch();
      await p.restore([notes], { kind: 'original' }, { recreateMissingFolders: true }, b.ctx);
      expect(b.results[0]).toMatchObject({ outcome: 'failed', error: { code: 'BAD_RESPONSE' } });
      expect(server.tree.snapshot('bob').files).toEqual([]);
    });

    it('deletes one item, and reports a vanished one as NOT_FOUND', async () => {
      const p = provider();
      const items = await list(p);
      const notes = byName(items, 'notes.txt');
      const b = batch();
      await p.remove([notes], b.ctx);
      expect(b.results[0]).toMatchObject({ outcome: 'deleted' });
      expect((await list(p)).some((i) => i.id === notes.id)).toBe(false);
      const again = batch();
      await p.remove([notes], again.ctx);
      expect(again.results[0]).toMatchObject({ outcome: 'failed', error: { code: 'NOT_FOUND' } });
    });

    it('empties the trash, one result per item', async () => {
      const p = provider();
      const before = await list(p);
      const b = batch();
      await p.empty(b.ctx);
      expect(b.results).toHaveLength(before.length);
      expect(b.results.every((r) => r.outcome === 'deleted')).toBe(true);
      expect(await list(p)).toEqual([]);
      expect(server.tree.trashOf('bob')).toHaveLength(1);
    });

    it('undoes a restore by moving the item back to the trash', async () => {
      const p = provider();
      const notes = byName(await list(p), 'notes.txt');
      const b = batch();
      await p.restore([notes], { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
      const u = batch();
      await p.undoRestore([{ key: notes.key, name: notes.name, landed: b.landed.get(notes.key)! }], u.ctx);
      expect(u.results[0]).toMatchObject({ outcome: 'trashed' });
      expect(files()).not.toContain('/notes.txt');
      expect((await list(p)).some((i) => i.name === 'notes.txt')).toBe(true);
    });

    describe('undo checks identity before it acts', () => {
      const keep = { recreateMissingFolders: false };
      const undoOf = (b: ReturnType<typeof batch>, item: TrashItem) => [
        { key: item.key, name: item.name, landed: b.landed.get(item.key)! },
      ];
      const live = (path: string) => server.tree.resolve(alice.id, path);

      it('undo of Replace moves the restored file back to the trash and puts the replaced one back', async () => {
        const p = provider();
        const report = byName(await list(p), 'report.pdf', '/Documents');
        const before = live('Documents/report.pdf')!;
        expect(before.size).toBe(2048);
        const b = batch({ resolutions: { [report.key]: 'replace' } });
        await p.restore([report], { kind: 'original' }, keep, b.ctx);
        expect(b.results[0]).toMatchObject({ outcome: 'replaced' });
        expect(live('Documents/report.pdf')!.size).toBe(4096);
        expect(b.landed.get(report.key)?.replaced).toMatchObject({
          name: 'report.pdf',
          folder: '/Documents',
          size: 2048,
        });

        const u = batch();
        await p.undoRestore(undoOf(b, report), u.ctx);
        expect(u.results).toEqual([
          expect.objectContaining({ outcome: 'reverted', finalPath: '/Documents/report.pdf', error: null }),
        ]);
        const after = live('Documents/report.pdf')!;
        expect(after.id).toBe(before.id);
        expect(after.size).toBe(2048);
        const trashed = (await list(p)).filter((i) => i.name === 'report.pdf' && i.originalFolder === '/Documents');
        expect(trashed.map((i) => i.size)).toEqual([4096]);
      });

      it('leaves alone a file that was saved over the restored one', async () => {
        const p = provider();
        const notes = byName(await list(p), 'notes.txt');
        const b = batch();
        await p.restore([notes], { kind: 'original' }, keep, b.ctx);
        const id = live('notes.txt')!.id;
        server.tree.writeFile(alice.id, 'notes.txt', 999); // saved again by someone: same file id, new ETag
        expect(live('notes.txt')!.id).toBe(id);
        const u = batch();
        await p.undoRestore(undoOf(b, notes), u.ctx);
        expect(u.results[0]).toMatchObject({
          outcome: 'kept',
          error: { code: 'CONFLICT', message: expect.stringContaining('left in place') },
        });
        expect(live('notes.txt')!.size).toBe(999);
        expect((await list(p)).some((i) => i.name === 'notes.txt')).toBe(false);
      });

      it('leaves alone another file now at the restored path', async () => {
        const p = provider();
        const notes = byName(await list(p), 'notes.txt');
        const b = batch();
        await p.restore([notes], { kind: 'original' }, keep, b.ctx);
        // Someone trashed the restored file and saved a new one under the same name.
        server.tree.trash(live('notes.txt')!.id);
        const other = server.tree.writeFile(alice.id, 'notes.txt', 120);
        const u = batch();
        await p.undoRestore(undoOf(b, notes), u.ctx);
        expect(u.results[0]).toMatchObject({ outcome: 'kept', error: { code: 'CONFLICT' } });
        expect(live('notes.txt')?.id).toBe(other.id);
      });

      it('keeps the restored file in place when the file it replaced is no longer in the trash', async () => {
        const p = provider();
        const report = byName(await list(p), 'report.pdf', '/Documents');
        const b = batch({ resolutions: { [report.key]: 'replace' } });
        await p.restore([report], { kind: 'original' }, keep, b.ctx);
        const replaced = (await list(p)).find((i) => i.name === 'report.pdf' && i.size === 2048)!;
        await p.remove([replaced], batch().ctx);
        const u = batch();
        await p.undoRestore(undoOf(b, report), u.ctx);
        expect(u.results[0]).toMatchObject({
          outcome: 'kept',
          error: { message: expect.stringContaining('no longer in the trash') },
        });
        expect(live('Documents/report.pdf')!.size).toBe(4096);
      });

      it('reports an item that is gone without moving anything', async () => {
        const p = provider();
        const notes = byName(await list(p), 'notes.txt');
        const b = batch();
        await p.restore([notes], { kind: 'original' }, keep, b.ctx);
        server.tree.trash(live('notes.txt')!.id);
        const trashBefore = server.tree.trashOf(alice.id).length;
        const u = batch();
        await p.undoRestore(undoOf(b, notes), u.ctx);
        expect(u.results[0]).toMatchObject({ outcome: 'kept', error: { code: 'NOT_FOUND' } });
        expect(server.tree.trashOf(alice.id)).toHaveLength(trashBefore);
      });
    });

    it('pre-check names two selected items bound for the same path, and Keep both restores both', async () => {
      const p = provider();
      const notes = byName(await list(p), 'notes.txt');
      // A second notes.txt from the same folder, deleted later.
      server.tree.trash(server.tree.writeFile(alice.id, 'notes.txt', 555).id);
      const both = (await list(p)).filter((i) => i.name === 'notes.txt');
      expect(both).toHaveLength(2);
      const ordered = [notes, both.find((i) => i.id !== notes.id)!];
      const { conflicts } = await p.findConflicts(ordered, { kind: 'original' });
      expect(conflicts).toEqual([
        expect.objectContaining({
          itemKey: ordered[1]!.key,
          source: 'selection',
          otherKey: notes.key,
          targetPath: '/notes.txt',
        }),
      ]);
      const b = batch({ resolutions: { [ordered[1]!.key]: 'keep-both' } });
      await p.restore(ordered, { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
      expect(b.asked).toEqual([]);
      expect(b.results.map((r) => r.outcome).sort()).toEqual(['renamed', 'restored']);
      expect(files()).toEqual(expect.arrayContaining(['/notes.txt', '/notes (restored).txt']));
    });

    it('browses folders for the picker and creates one', async () => {
      const p = provider();
      const root = await p.listFolders(null);
      expect(root.folder).toMatchObject({ id: '/', canWrite: true });
      expect(root.children.map((c) => c.id)).toEqual(['/Documents', '/Photos', '/Shared']);
      const made = await p.createFolder('/Documents', 'Taxes 2025');
      expect(made).toMatchObject({ id: '/Documents/Taxes 2025', name: 'Taxes 2025' });
      const docs = await p.listFolders('/Documents');
      expect(docs.children.map((c) => c.name)).toEqual(['Taxes 2025']);
      expect(docs.breadcrumbs.map((c) => c.id)).toEqual(['/', '/Documents']);
      await expect(p.createFolder('/Documents', 'Taxes 2025')).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(p.createFolder('/Missing', 'x')).rejects.toMatchObject({ code: 'DEST_MISSING' });
      await expect(p.listFolders('/../bob')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    });

    it('maps 507 (over quota) on restore to QUOTA', async () => {
      server.tree.user(alice.id).quota = 100;
      const p = provider();
      const report = byName(await list(p), 'report.pdf');
      const b = batch({ resolutions: { [report.key]: 'keep-both' } });
      await p.restore([report], { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
      expect(b.results[0]).toMatchObject({ outcome: 'failed', error: { code: 'QUOTA' } });
    });

    it('maps an injected 403 on delete to FORBIDDEN and a 500 to SERVER', async () => {
      const p = provider();
      const [first, second] = await list(p);
      server.control.fault({
        method: 'DELETE',
        status: 403,
        body: '<?xml version="1.0" encoding="utf-8"?>\n<d:error xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns">\n  <s:exception>Sabre\\DAV\\Exception\\Forbidden</s:exception>\n  <s:message/>\n</d:error>\n',
      });
      server.control.fault({ method: 'DELETE', status: 500, body: '' });
      const b = batch();
      await p.remove([first!], b.ctx);
      await p.remove([second!], b.ctx);
      expect(b.results.map((r) => r.error?.code)).toEqual(['FORBIDDEN', 'SERVER']);
    });

    it('reads a 5,000-item trash in chunks of about 1,000', async () => {
      server.control.seed(alice.id, 5000, { folder: 'Bulk' });
      const sizes: number[] = [];
      for await (const chunk of provider().listTrash(null)) sizes.push(chunk.items.length);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(5009);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(1000);
      expect(sizes.length).toBeGreaterThanOrEqual(5);
    });
  });
}

describe('ownCloud 10 specifics', () => {
  let server: WebDavServer;
  beforeAll(async () => {
    server = await startWebDavServer({ kind: 'owncloud10' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('replaces on servers that refuse a restore over an existing file (403 even with Overwrite: T)', async () => {
    const p = new WebDavProvider(
      'owncloud10',
      {
        id: 'a',
        kind: 'owncloud10',
        label: '',
        serverUrl: server.url,
        user: 'alice',
        userId: 'alice',
        userName: 'alice',
        demo: false,
      },
      { user: 'alice', secret: alice.appPassword },
      { parseHost },
    );
    const items: TrashItem[] = [];
    for await (const c of p.listTrash(null)) items.push(...c.items);
    const report = items.find((i) => i.name === 'report.pdf')!;
    // ownCloud's TrashBinPlugin::beforeMove (newer releases) answers 403 when the target exists.
    server.control.fault({
      method: 'MOVE',
      path: `/trash-bin/alice/${report.id}`,
      status: 403,
      body: '<?xml version="1.0" encoding="utf-8"?>\n<d:error xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns">\n  <s:exception>Sabre\\DAV\\Exception\\Forbidden</s:exception>\n  <s:message>Could not restore, target "files/alice/Documents/report.pdf" already exists</s:message>\n</d:error>\n',
    });
    const b = batch({ resolutions: { [report.key]: 'replace' } });
    await p.restore([report], { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
    expect(b.results[0]).toMatchObject({ outcome: 'replaced', finalPath: '/Documents/report.pdf' });
    expect(server.tree.resolve('alice', 'Documents/report.pdf')!.size).toBe(4096);
    const moves = server.control.seen.filter((r) => r.method === 'MOVE').map((r) => r.headers.overwrite);
    expect(moves).toEqual(['T', 'F']);
    expect(
      server.control.seen.some((r) => r.method === 'DELETE' && r.path.endsWith('/files/alice/Documents/report.pdf')),
    ).toBe(true);
  });

  it('refuses Depth infinity on the trash bin with 412', async () => {
    const res = await fetch(`${server.url}/remote.php/dav/trash-bin/alice`, {
      method: 'PROPFIND',
      headers: {
        Authorization: `Basic ${Buffer.from(`alice:${alice.appPassword}`).toString('base64')}`,
        Depth: 'infinity',
      },
    });
    expect(res.status).toBe(412);
    expect(await res.text()).toContain('Sabre\\DAV\\Exception\\PreconditionFailed');
  });
});

describe('Nextcloud specifics', () => {
  let server: WebDavServer;
  beforeAll(async () => {
    server = await startWebDavServer({ kind: 'nextcloud', deleteFromTrash: false });
  });
  afterAll(async () => {
    await server.close();
  });

  it('says so when the admin disabled deleting from the trash (403)', async () => {
    const p = new WebDavProvider(
      'nextcloud',
      {
        id: 'a',
        kind: 'nextcloud',
        label: '',
        serverUrl: server.url,
        user: 'alice',
        userId: 'alice',
        userName: 'alice',
        demo: false,
      },
      { user: 'alice', secret: alice.appPassword },
      { parseHost },
    );
    const items: TrashItem[] = [];
    for await (const c of p.listTrash(null)) items.push(...c.items);
    const b = batch();
    await p.remove([items[0]!], b.ctx);
    expect(b.results[0]!.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('administrator') });
  });

  it('lands a restore in the root when the server drops the original folder, then moves it where asked', async () => {
    const p = new WebDavProvider(
      'nextcloud',
      {
        id: 'a',
        kind: 'nextcloud',
        label: '',
        serverUrl: server.url,
        user: 'alice',
        userId: 'alice',
        userName: 'alice',
        demo: false,
      },
      { user: 'alice', secret: alice.appPassword },
      { parseHost },
    );
    const items: TrashItem[] = [];
    for await (const c of p.listTrash(null)) items.push(...c.items);
    const letter = items.find((i) => i.name === 'letter.txt')!;
    const b = batch();
    await p.restore([letter], { kind: 'folder', folderId: '/Shared' }, { recreateMissingFolders: false }, b.ctx);
    expect(b.results[0]).toMatchObject({ outcome: 'restored', finalPath: '/Shared/letter.txt' });
    expect(server.tree.snapshot('alice').files).not.toContain('/letter.txt');
  });
});
