import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDocSpaceServer, TEST_KEYS, type DocSpaceServer } from '../../demo/servers/docspace/index';
import type { Conflict, ItemResult, Resolution, TrashItem } from '../../../shared/model';
import { defaultHttpOptions } from '../../net/http';
import type { BatchContext, Landed } from '../types';
import { DocSpaceProvider } from './provider';
import { probeServer } from '../index';
import { probeDocSpace } from './probe';

interface Call {
  method: string;
  url: string;
  body: unknown;
}

let server: DocSpaceServer;
let calls: Call[];

beforeEach(async () => {
  server = await startDocSpaceServer({ opItemMs: 2 });
  calls = [];
});
afterEach(async () => {
  await server.close();
});

const recordingFetch: typeof fetch = async (input, init) => {
  const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
  calls.push({ method: init?.method ?? 'GET', url: String(input), body });
  return fetch(input, init);
};

function provider(key: string = TEST_KEYS.alice, maxRetryAfterMs = 5_000) {
  return new DocSpaceProvider(
    {
      id: 'acc',
      kind: 'docspace',
      label: 'Test',
      serverUrl: server.url,
      user: '',
      userId: '',
      userName: '',
      demo: false,
    },
    { user: '', secret: key },
    { http: { ...defaultHttpOptions, maxRetryAfterMs, fetch: recordingFetch }, pollMs: 5, maxPollMs: 20 },
  );
}

function batch(resolutions: Record<string, Resolution> = {}, answer?: (c: Conflict) => Resolution) {
  const controller = new AbortController();
  const results: ItemResult[] = [];
  const landed = new Map<string, Landed>();
  const fractions: number[] = [];
  const asked: Conflict[] = [];
  const listeners: ((fraction: number) => void)[] = [];
  const ctx: BatchContext = {
    signal: controller.signal,
    itemDone: (r, extra) => {
      results.push(r);
      if (extra?.landed) landed.set(r.key, extra.landed);
    },
    progress: ({ fraction }) => {
      if (fraction === undefined) return;
      fractions.push(fraction);
      for (const l of listeners) l(fraction);
    },
    resolutionFor: (key) => resolutions[key],
    ask: async (c) => {
      asked.push(c);
      return answer ? answer(c) : 'skip';
    },
  };
  const outcome = (name: string) => results.find((r) => r.name === name);
  return {
    ctx,
    controller,
    results,
    landed,
    fractions,
    asked,
    outcome,
    onProgress: (l: (f: number) => void) => listeners.push(l),
  };
}

async function listAll(p: DocSpaceProvider, parentId: string | null = null) {
  const items: TrashItem[] = [];
  const chunks: { size: number; total?: number }[] = [];
  for await (const chunk of p.listTrash(parentId)) {
    items.push(...chunk.items);
    chunks.push({ size: chunk.items.length, ...(chunk.total !== undefined ? { total: chunk.total } : {}) });
  }
  return { items, chunks, byName: (name: string) => items.find((i) => i.name === name)! };
}

const trashTitles = (user = 'alice') =>
  server.state
    .trashOf(user)
    .map((n) => server.state.title(n))
    .sort();
/** Makes the server answer the next GET of `path` with this status and JSON body. */
const answerOnce = (path: string, status: number, body: unknown) =>
  server.control.fault({
    method: 'GET',
    path,
    status,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
const movePuts = () => calls.filter((c) => c.method === 'PUT' && c.url.includes('/fileops/move'));

describe('DocSpace provider against the test server', () => {
  it('checks the API key with people/@self and names the user', async () => {
    const who = await provider().checkConnection();
    expect(who.userName).toBe('Alice Carter');
    expect(who.userId).toBe(server.state.user('alice').guid);
    expect(calls[0]!.url).toMatch(/\/api\/2\.0\/people\/@self$/);
  });

  it('lists the trash in pages of 100, the rest eight at a time, with origins and expiry', async () => {
    server.control.seed('alice', 450, { folder: 'Reports' });
    const { items, chunks, byName } = await listAll(provider());
    expect(items).toHaveLength(454);
    expect(new Set(items.map((i) => i.id)).size).toBe(454);
    expect(chunks[0]!.total).toBe(454);
    const pages = calls.filter((c) => c.url.includes('/files/@trash')).map((c) => new URL(c.url).searchParams);
    expect(pages.map((q) => q.get('startIndex')).sort()).toEqual(['0', '100', '200', '300', '400']);
    expect(pages.every((q) => q.get('count') === '100')).toBe(true);

    const q3 = byName('Q3 report.docx');
    expect(q3.id).toMatch(/^file:\d+$/);
    expect(q3.key).toBe(`acc:${q3.id}`);
    expect(q3.originalFolder).toBe('My documents / Reports');
    expect(q3.originalFolderId).toBe(String(server.state.folderAt('alice', 'Reports')!.id));
    expect(q3).toMatchObject({ kind: 'file', ext: 'docx', size: 12_288, deletedBy: 'Alice Carter' });
    expect(byName('Campaign brief.pdf').originalFolder).toBe('Rooms / Marketing');
    expect(byName('Old project')).toMatchObject({ kind: 'folder', size: null, ext: '' });
    expect(byName('Old project').id).toMatch(/^folder:/);
    // Deleted 29 days ago under the 30-day policy: purged within about a day.
    const holiday = byName('holiday.jpg');
    const left = Date.parse(holiday.expiresAt!) - Date.parse(holiday.deletedAt!);
    expect(left).toBe(30 * 86_400_000);
    expect(Date.parse(holiday.expiresAt!) - Date.now()).toBeLessThan(2 * 86_400_000);
    expect(byName('file-0.txt').originalFolder).toBe('My documents / Reports');
    // Each origin folder's path is read once for the whole listing, not once per item.
    const pathCalls = calls
      .filter((c) => /\/files\/folder\/\d+\/path$/.test(new URL(c.url).pathname))
      .map((c) => new URL(c.url).pathname);
    expect(pathCalls.length).toBe(new Set(pathCalls).size);
    expect(new Set(items.map((i) => i.originalFolderId)).size).toBeGreaterThanOrEqual(pathCalls.length);
  });

  it('names each origin by its full path: "Q4" under 2023 and under 2024 read apart; a folder gone since falls back to what the entry says', async () => {
    const state = server.state;
    const my = state.myRoot('alice');
    for (const year of ['2023', '2024']) {
      const y = state.addFolder(my, year, { by: 'alice' });
      const q4 = state.addFolder(y.id, 'Q4', { by: 'alice' });
      state.addTrashed('alice', q4.id, `Plan ${year}.pdf`, 'file', 100, Date.now() - 60_000);
    }
    const { byName } = await listAll(provider());
    expect(byName('Plan 2023.pdf').originalFolder).toBe('My documents / 2023 / Q4');
    expect(byName('Plan 2024.pdf').originalFolder).toBe('My documents / 2024 / Q4');
    // A room's items: the Rooms root, the room, the folder — as the folder tree names them.
    expect(byName('Campaign brief.pdf').originalFolder).toBe('Rooms / Marketing');
  });

  it('browses into a trashed folder', async () => {
    const p = provider();
    const folder = (await listAll(p)).byName('Old project');
    const inside = await listAll(p, folder.id);
    expect(inside.items.map((i) => i.name).sort()).toEqual(['assets', 'notes.txt', 'plan.md']);
    expect(
      inside.items.every((i) => i.parentId === folder.id && i.originalFolder === 'My documents / Old project'),
    ).toBe(true);
    // One level further down: the path goes on through the trashed folder.
    const assets = inside.items.find((i) => i.name === 'assets')!;
    expect((await listAll(p, assets.id)).items.map((i) => i.originalFolder)).toEqual([
      'My documents / Old project / assets',
    ]);
  });

  it('restores to where items were deleted from: one move per destination, hold result, no content move', async () => {
    const p = provider();
    const list = await listAll(p);
    const items = [list.byName('Q3 report.docx'), list.byName('holiday.jpg'), list.byName('Old project')];
    const b = batch();
    await p.restore(items, { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
    expect(b.results.map((r) => [r.name, r.outcome]).sort()).toEqual([
      ['Old project', 'restored'],
      ['Q3 report.docx', 'restored'],
      ['holiday.jpg', 'restored'],
    ]);
    expect(b.outcome('Q3 report.docx')!.finalPath).toBe('My documents / Reports / Q3 report.docx');
    expect(b.landed.get(items[0]!.key)?.ref).toBe(items[0]!.id);
    expect(trashTitles()).toEqual(['Campaign brief.pdf']);
    expect(
      server.state.childByTitle(server.state.folderAt('alice', 'Reports')!.id, 'Q3 report.docx', 'file'),
    ).not.toBeNull();
    const puts = movePuts();
    expect(puts).toHaveLength(3); // Reports, Photos, My documents
    for (const put of puts) {
      expect(put.body).toMatchObject({
        deleteAfter: false,
        content: false,
        returnSingleOperation: true,
        conflictResolveType: 0,
      });
    }
    expect(b.fractions.at(-1)).toBe(1);
  });

  it('restores a selection to a chosen folder in one call', async () => {
    const p = provider();
    const list = await listAll(p);
    const target = server.state.folderAt('alice', 'Reports/2024')!;
    const b = batch();
    await p.restore(
      [list.byName('Q3 report.docx'), list.byName('Campaign brief.pdf')],
      { kind: 'folder', folderId: String(target.id) },
      { recreateMissingFolders: false },
      b.ctx,
    );
    expect(b.results.map((r) => r.outcome)).toEqual(['restored', 'restored']);
    expect(b.outcome('Campaign brief.pdf')!.finalPath).toBe('My documents / Reports / 2024 / Campaign brief.pdf');
    expect(
      server.state
        .childrenOf(target.id)
        .map((n) => server.state.title(n))
        .sort(),
    ).toEqual(['Campaign brief.pdf', 'Q3 report.docx']);
    expect(movePuts()).toHaveLength(1);
    expect(movePuts()[0]!.body).toMatchObject({
      destFolderId: target.id,
      fileIds: expect.arrayContaining([expect.any(Number)]),
    });
  });

  describe('conflicts', () => {
    const setUp = async () => {
      const reports = server.state.folderAt('alice', 'Reports')!;
      const existing = server.state.addFile(reports.id, 'Q3 report.docx', 100, { by: 'alice' });
      const p = provider();
      const item = (await listAll(p)).byName('Q3 report.docx');
      return { p, item, reports, existing };
    };

    it('pre-checks with GET fileops/move and describes both sides', async () => {
      const { p, item } = await setUp();
      const { conflicts, missingFolders } = await p.findConflicts([item], { kind: 'original' });
      expect(missingFolders).toEqual([]);
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]).toMatchObject({
        itemKey: item.key,
        canReplace: true,
        trashed: { size: 12_288 },
        existing: { size: 100, kind: 'file' },
      });
      expect(calls.some((c) => c.method === 'GET' && c.url.includes('/fileops/move?'))).toBe(true);
    });

    it('Replace overwrites the existing file (a new version) and reports "replaced"', async () => {
      const { p, item, existing } = await setUp();
      const b = batch({ [item.key]: 'replace' });
      await p.restore([item], { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
      expect(b.outcome('Q3 report.docx')!.outcome).toBe('replaced');
      expect(existing.size).toBe(12_288);
      expect(server.state.meta.get(existing.id)?.version).toBe(2);
      expect(trashTitles()).not.toContain('Q3 report.docx');
      expect(movePuts()[0]!.body).toMatchObject({ conflictResolveType: 1 });
    });

    it('Keep both moves it next to the existing one under the same title', async () => {
      const { p, item, reports } = await setUp();
      const b = batch({ [item.key]: 'keep-both' });
      await p.restore([item], { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
      expect(b.outcome('Q3 report.docx')!.outcome).toBe('restored');
      const same = server.state.childrenOf(reports.id).filter((n) => server.state.title(n) === 'Q3 report.docx');
      expect(same).toHaveLength(2);
      expect(movePuts()[0]!.body).toMatchObject({ conflictResolveType: 2 });
    });

    it('Skip leaves it in the trash without asking the server to move it', async () => {
      const { p, item } = await setUp();
      const b = batch({ [item.key]: 'skip' });
      await p.restore([item], { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
      expect(b.outcome('Q3 report.docx')).toMatchObject({ outcome: 'skipped', error: null });
      expect(trashTitles()).toContain('Q3 report.docx');
      expect(movePuts()).toHaveLength(0);
    });

    it('asks mid-batch when no answer was chosen before, and splits the batch per answer', async () => {
      const { p, item } = await setUp();
      const other = (await listAll(p)).byName('holiday.jpg');
      const photos = server.state.folderAt('alice', 'Photos')!;
      server.state.addFile(photos.id, 'holiday.jpg', 5, { by: 'alice' });
      const b = batch({}, (c) => (c.name === 'Q3 report.docx' ? 'replace' : 'keep-both'));
      await p.restore([item, other], { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
      expect(b.asked.map((c) => c.name).sort()).toEqual(['Q3 report.docx', 'holiday.jpg']);
      expect(b.outcome('Q3 report.docx')!.outcome).toBe('replaced');
      expect(b.outcome('holiday.jpg')!.outcome).toBe('restored');
      expect(
        movePuts()
          .map((c) => (c.body as { conflictResolveType: number }).conflictResolveType)
          .sort(),
      ).toEqual([1, 2]);
    });

    it('merges a folder into a same-named one and says so', async () => {
      const my = server.state.myRoot('alice');
      const live = server.state.addFolder(my, 'Old project', { by: 'alice' });
      const livePlan = server.state.addFile(live.id, 'plan.md', 1, { by: 'alice' });
      const p = provider();
      const folder = (await listAll(p)).byName('Old project');
      const { conflicts } = await p.findConflicts([folder], { kind: 'original' });
      expect(conflicts[0]).toMatchObject({ canReplace: false, existing: { kind: 'folder' } });
      expect(conflicts[0]!.note).toMatch(/merge/i);
      const b = batch({ [folder.key]: 'replace' });
      await p.restore([folder], { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
      expect(b.outcome('Old project')).toMatchObject({ outcome: 'merged', error: null });
      expect(
        server.state
          .childrenOf(live.id)
          .map((n) => server.state.title(n))
          .sort(),
      ).toEqual(['assets', 'notes.txt', 'plan.md']);
      expect(livePlan.size).toBe(2_048);
      expect(trashTitles()).not.toContain('Old project');
    });
  });

  describe('restore steps: plan, execute, report', () => {
    it('sends same-titled items of one selection in rounds: the later one meets the earlier as a conflict', async () => {
      const reports = server.state.folderAt('alice', 'Reports')!;
      server.state.addTrashed('alice', reports.id, 'Q3 report.docx', 'file', 5, Date.now() - 60_000);
      const p = provider();
      const twins = (await listAll(p)).items.filter((i) => i.name === 'Q3 report.docx');
      expect(twins).toHaveLength(2);
      const b = batch({}, () => 'keep-both');
      await p.restore(twins, { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
      // Round one meets nothing; round two meets round one's file and asks about it.
      expect(b.asked.map((c) => [c.itemKey, c.existing.size])).toEqual([[twins[1]!.key, twins[0]!.size]]);
      expect(b.results.map((r) => [r.key, r.outcome])).toEqual([
        [twins[0]!.key, 'restored'],
        [twins[1]!.key, 'restored'],
      ]);
      expect(movePuts().map((c) => (c.body as { conflictResolveType: number }).conflictResolveType)).toEqual([0, 2]);
      expect(
        server.state.childrenOf(reports.id).filter((n) => server.state.title(n) === 'Q3 report.docx'),
      ).toHaveLength(2);
      expect(b.landed.size).toBe(2);
    });

    it('Replace records the version it replaced, so undo can make it current again', async () => {
      const reports = server.state.folderAt('alice', 'Reports')!;
      const existing = server.state.addFile(reports.id, 'Q3 report.docx', 100, { by: 'alice' });
      const p = provider();
      const item = (await listAll(p)).byName('Q3 report.docx');
      const b = batch({ [item.key]: 'replace' });
      await p.restore([item], { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
      expect(b.landed.get(item.key)).toMatchObject({
        ref: `file:${existing.id}`,
        version: 2,
        size: 12_288,
        replaced: {
          ref: `file:${existing.id}`,
          name: 'Q3 report.docx',
          folder: 'My documents / Reports',
          version: 1,
          size: 100,
        },
      });
      const undo = batch();
      await p.undoRestore([{ key: item.key, name: item.name, landed: b.landed.get(item.key)! }], undo.ctx);
      expect(undo.results[0]).toMatchObject({ outcome: 'reverted' });
      expect(existing.size).toBe(100);
    });

    it('reports each item once when the batch is cancelled while a conflict is asked', async () => {
      const reports = server.state.folderAt('alice', 'Reports')!;
      server.state.addFile(reports.id, 'Q3 report.docx', 100, { by: 'alice' });
      const p = provider();
      const item = (await listAll(p)).byName('Q3 report.docx');
      const b = batch({}, () => {
        b.controller.abort();
        throw new Error('cancelled');
      });
      await p.restore([item], { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
      expect(b.results).toEqual([]);
      expect(movePuts()).toHaveLength(0);
      expect(trashTitles()).toContain('Q3 report.docx');
    });
  });

  it('turns a malformed answer into BAD_RESPONSE naming what was wrong', async () => {
    answerOnce('/api/2.0/files/@trash', 200, {
      response: { files: [{ id: 1, title: 42, fileEntryType: 2 }], folders: [], total: 1 },
      count: 1,
      status: 0,
      statusCode: 200,
    });
    await expect(listAll(provider())).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
      message: expect.stringContaining('unreadable folder listing (files.0.title'),
      details: { request: 'GET files/@trash', field: 'files.0.title' },
    });
    answerOnce('/api/2.0/people/@self', 200, { response: { displayName: 'Nobody' }, status: 0, statusCode: 200 });
    await expect(provider().checkConnection()).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
      details: { field: 'id' },
    });
  });

  it('reports the server progress of the operation as fractions', async () => {
    server.state.opItemMs = 15;
    server.control.seed('alice', 30, { prefix: 'p-' });
    const p = provider();
    const items = (await listAll(p)).items.filter((i) => i.name.startsWith('p-'));
    const target = server.state.folderAt('alice', 'Reports/2024')!;
    const b = batch();
    await p.restore(items, { kind: 'folder', folderId: String(target.id) }, { recreateMissingFolders: false }, b.ctx);
    expect(b.results.filter((r) => r.outcome === 'restored')).toHaveLength(30);
    expect(b.fractions.some((f) => f > 0 && f < 1)).toBe(true);
    for (let i = 1; i < b.fractions.length; i++) expect(b.fractions[i]!).toBeGreaterThanOrEqual(b.fractions[i - 1]!);
    expect(b.fractions.at(-1)).toBe(1);
  });

  it('cancels a running restore with fileops/terminate and reports what had already moved', async () => {
    server.state.opItemMs = 20;
    server.control.seed('alice', 60, { prefix: 'c-' });
    const p = provider();
    const items = (await listAll(p)).items.filter((i) => i.name.startsWith('c-'));
    const target = server.state.folderAt('alice', 'Photos')!;
    const b = batch();
    b.onProgress((f) => {
      if (f > 0 && f < 1) b.controller.abort();
    });
    await p.restore(items, { kind: 'folder', folderId: String(target.id) }, { recreateMissingFolders: false }, b.ctx);
    expect(calls.some((c) => c.method === 'PUT' && /\/fileops\/terminate\/[0-9a-f-]+$/.test(c.url))).toBe(true);
    const moved = server.state.childrenOf(target.id).filter((n) => server.state.title(n).startsWith('c-')).length;
    const stillTrashed = trashTitles().filter((t) => t.startsWith('c-')).length;
    expect(moved).toBeGreaterThan(0);
    expect(stillTrashed).toBeGreaterThan(0);
    expect(moved + stillTrashed).toBe(60);
    expect(b.results.filter((r) => r.outcome === 'restored')).toHaveLength(moved);
    expect(server.state.ops.size).toBe(0);
  });

  it('deletes selected items for good with fileops/delete', async () => {
    const p = provider();
    const list = await listAll(p);
    const b = batch();
    await p.remove([list.byName('Q3 report.docx'), list.byName('Old project')], b.ctx);
    expect(b.results.map((r) => r.outcome)).toEqual(['deleted', 'deleted']);
    expect(trashTitles()).toEqual(['Campaign brief.pdf', 'holiday.jpg']);
    const put = calls.find((c) => c.method === 'PUT' && c.url.includes('/fileops/delete'))!;
    expect(put.body).toMatchObject({ immediately: true, deleteAfter: false, returnSingleOperation: true });
  });

  it('empties the trash and reports every item it held', async () => {
    server.control.seed('alice', 150);
    const p = provider();
    const b = batch();
    await p.empty(b.ctx);
    expect(b.results).toHaveLength(154);
    expect(b.results.every((r) => r.outcome === 'deleted')).toBe(true);
    expect(trashTitles()).toEqual([]);
    expect(calls.some((c) => c.method === 'PUT' && c.url.includes('/fileops/emptytrash?single=true'))).toBe(true);
  });

  it("empties with the listing it is given in one request (and its status polls), reporting each listed item from the operation's end", async () => {
    server.control.seed('alice', 150);
    const p = provider();
    const listed = (await listAll(p)).items;
    const before = calls.length;
    const b = batch();
    await p.empty(b.ctx, listed);
    const sent = calls.slice(before).map((c) => `${c.method} ${new URL(c.url).pathname}`);
    // Everything but the status polls (GET files/fileops) of the one operation it started.
    expect(sent.filter((c) => c !== 'GET /api/2.0/files/fileops')).toEqual(['PUT /api/2.0/files/fileops/emptytrash']);
    expect(b.results).toHaveLength(listed.length);
    expect(b.results.every((r) => r.outcome === 'deleted')).toBe(true);
    expect(trashTitles()).toEqual([]);
  });

  it('says when the origin folder no longer exists (deleted for good, or itself in the trash)', async () => {
    const my = server.state.myRoot('alice');
    const temp = server.state.addFolder(my, 'Temp', { by: 'alice' });
    server.state.addTrashed('alice', temp.id, 'draft.txt', 'file', 10, Date.now() - 1000);
    const drafts = server.state.addFolder(my, 'Drafts', { by: 'alice' });
    server.state.addTrashed('alice', drafts.id, 'idea.md', 'file', 10, Date.now() - 1000);
    server.state.destroy(temp); // gone: the server sends no origin fields
    server.state.trashNode('alice', drafts.id); // in the trash: the origin is still named
    const p = provider();
    const list = await listAll(p);
    const gone = list.byName('draft.txt');
    const trashed = list.byName('idea.md');
    expect(gone.originalFolderId).toBeNull();
    expect(trashed.originalFolderId).toBe(String(drafts.id));
    const { missingFolders } = await p.findConflicts([gone, trashed], { kind: 'original' });
    expect(missingFolders.sort()).toEqual(['Drafts', 'the original folder of "draft.txt"']);
    const b = batch();
    await p.restore([gone, trashed], { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
    expect(b.outcome('draft.txt')).toMatchObject({ outcome: 'failed', error: { code: 'DEST_MISSING' } });
    expect(b.outcome('idea.md')).toMatchObject({ outcome: 'failed', error: { code: 'DEST_MISSING' } });
    expect(b.outcome('idea.md')!.error!.message).toMatch(/"Drafts" no longer exists or is in the trash/);
    expect(trashTitles()).toEqual(expect.arrayContaining(['draft.txt', 'idea.md']));
    expect(movePuts()).toHaveLength(0);
  });

  it('moves restored items back to the trash for undo', async () => {
    const p = provider();
    const item = (await listAll(p)).byName('Q3 report.docx');
    const b = batch();
    await p.restore([item], { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
    const undo = batch();
    await p.undoRestore([{ key: item.key, name: item.name, landed: b.landed.get(item.key)! }], undo.ctx);
    expect(undo.results[0]).toMatchObject({ outcome: 'trashed' });
    expect(trashTitles()).toContain('Q3 report.docx');
  });

  it('copes with an older portal that ignores returnSingleOperation and the ?id= filter', async () => {
    await server.close();
    server = await startDocSpaceServer({ opItemMs: 2, legacy: true });
    const p = provider();
    const list = await listAll(p);
    // Another finished-but-held delete operation of the same user is listed alongside ours.
    const other = list.byName('Campaign brief.pdf');
    await p.remove([other], batch().ctx);
    const b = batch();
    await p.restore(
      [list.byName('Q3 report.docx'), list.byName('holiday.jpg')],
      { kind: 'original' },
      { recreateMissingFolders: false },
      b.ctx,
    );
    expect(b.results.map((r) => r.outcome)).toEqual(['restored', 'restored']);
    const e = batch();
    await p.empty(e.ctx);
    expect(e.results.map((r) => [r.name, r.outcome])).toEqual([['Old project', 'deleted']]);
    expect(trashTitles()).toEqual([]);
  });

  it('maps a rejected key (401) onto AUTH_FAILED', async () => {
    await expect(provider('sk-not-a-real-key').checkConnection()).rejects.toMatchObject({ code: 'AUTH_FAILED' });
  });

  it('names the missing scope when a 403 comes without a body', async () => {
    const p = provider(TEST_KEYS.aliceReadOnly);
    const item = (await listAll(p)).byName('Q3 report.docx'); // reading is allowed
    await expect(p.remove([item], batch().ctx)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('files:write'),
    });
    server.control.fault({ method: 'GET', path: '/api/2.0/files/@trash', status: 403 });
    await expect(listAll(provider())).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('files:read'),
    });
  });

  it('keeps the server message of a 403 with a body', async () => {
    answerOnce('/api/2.0/files/@trash', 403, {
      error: { message: 'Access denied', type: 'System.Security.SecurityException', hresult: -2146233078 },
      status: 1,
      statusCode: 403,
    });
    await expect(listAll(provider())).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'Access denied' });
  });

  it('refuses a read-only room as a target before asking the server', async () => {
    const p = provider();
    const item = (await listAll(p)).byName('Q3 report.docx');
    const handbook = server.state.room('Handbook')!;
    await expect(p.findConflicts([item], { kind: 'folder', folderId: String(handbook.id) })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('Rooms / Handbook'),
    });
    const b = batch();
    await p.restore(
      [item],
      { kind: 'folder', folderId: String(handbook.id) },
      { recreateMissingFolders: false },
      b.ctx,
    );
    expect(b.outcome('Q3 report.docx')).toMatchObject({ outcome: 'failed', error: { code: 'FORBIDDEN' } });
    expect(movePuts()).toHaveLength(0);
  });

  it('waits out a 429 with Retry-After, for reads and for writes', async () => {
    server.control.fault({
      method: 'GET',
      path: '/api/2.0/files/@trash',
      status: 429,
      headers: { 'Retry-After': '1' },
    });
    const p = provider();
    const list = await listAll(p);
    expect(list.items).toHaveLength(4);
    expect(
      calls.filter((c) => c.url.includes('/files/@trash') && new URL(c.url).searchParams.get('startIndex') === '0')
        .length,
    ).toBeGreaterThanOrEqual(2);
    server.control.fault({ method: 'PUT', path: '/fileops/delete', status: 429, headers: { 'Retry-After': '1' } });
    const b = batch();
    await p.remove([list.byName('holiday.jpg')], b.ctx);
    expect(b.results[0]!.outcome).toBe('deleted');
    expect(calls.filter((c) => c.method === 'PUT' && c.url.includes('/fileops/delete'))).toHaveLength(2);
  });

  it('gives up with RATE_LIMITED when the server asks to wait too long', async () => {
    server.control.fault({
      method: 'GET',
      path: '/api/2.0/people/@self',
      status: 429,
      headers: { 'Retry-After': '120' },
      times: 5,
    });
    await expect(provider(TEST_KEYS.alice, 2_000).checkConnection()).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      details: { retryAfterMs: 120_000 },
    });
  });

  it('offers My documents and Rooms in the folder picker; the Rooms root and read-only rooms are not targets', async () => {
    const p = provider();
    const root = await p.listFolders(null);
    expect(root.children.map((c) => [c.name, c.canWrite])).toEqual([
      ['My documents', true],
      ['Rooms', false],
    ]);
    const rooms = await p.listFolders(root.children[1]!.id);
    expect(rooms.folder.canWrite).toBe(false);
    expect(rooms.children.map((c) => [c.name, c.canWrite])).toEqual([
      ['Handbook', false],
      ['Marketing', true],
    ]);
    const my = await p.listFolders(root.children[0]!.id);
    expect(my.children.map((c) => c.name)).toEqual(['Photos', 'Reports']);
    const reports = await p.listFolders(my.children[1]!.id);
    expect(reports.breadcrumbs.map((c) => c.name)).toEqual(['My documents', 'Reports']);
    expect(reports.children.map((c) => c.path)).toEqual(['My documents / Reports / 2024']);
    const created = await p.createFolder(reports.folder.id, 'Restored');
    expect(created).toMatchObject({ name: 'Restored', path: 'My documents / Reports / Restored', canWrite: true });
    expect(server.state.childByTitle(Number(reports.folder.id), 'Restored', 'folder')).not.toBeNull();
  });
});

describe('DocSpace probe', () => {
  it('recognises a DocSpace portal by settings/version/build', async () => {
    const probe = await probeDocSpace(server.url);
    expect(probe).toMatchObject({
      kind: 'docspace',
      auth: 'api-key',
      version: '3.7.2.1813',
      insecureHttp: true,
      trashSupported: true,
    });
  });

  it('is what the add-account dialog detects at a DocSpace address', async () => {
    const probe = await probeServer(`${server.url}/`);
    expect(probe).toMatchObject({ kind: 'docspace', serverUrl: server.url, productName: 'ONLYOFFICE DocSpace' });
  });

  it('answers null for a server that is not DocSpace', async () => {
    server.control.fault({ path: '/api/2.0/settings/version/build', status: 404 });
    expect(await probeDocSpace(server.url)).toBeNull();
  });
});
