import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Conflict, ItemResult, Resolution, TrashItem } from '../../../shared/model';
import { startWebDavServer, type WebDavServer } from '../../demo/servers/webdav/server';
import { OCIS_SPACES, seedOcisSpaces, seedTestState, WEBDAV_USERS } from '../../demo/servers/webdav/seed';
import type { AccountConfig, BatchContext, Landed } from '../types';
import { WebDavProvider } from './provider';
import { InThreadHost } from './trashStream';

/**
 * Infinite Scale spaces, against the oCIS test server with alice in three project spaces (manager
 * of Marketing, editor of Engineering, viewer of Board; Archive is disabled): one listing of every
 * space's trash, and restore, delete and empty acting on the right space, with reva's statuses.
 */

const alice = WEBDAV_USERS.alice;
const { marketing, engineering, board } = OCIS_SPACES;

function batch(options: { answer?: (c: Conflict) => Resolution } = {}) {
  const results: ItemResult[] = [];
  const progress: string[] = [];
  const landed = new Map<string, Landed>();
  const ctx: BatchContext = {
    signal: new AbortController().signal,
    itemDone: (r, extra) => {
      results.push(r);
      if (extra?.landed) landed.set(r.key, extra.landed);
    },
    progress: (p) => void (p.current && progress.push(p.current)),
    resolutionFor: () => undefined,
    ask: async (c) => options.answer?.(c) ?? 'skip',
  };
  return { ctx, results, progress, landed };
}

describe('oCIS spaces', () => {
  let server: WebDavServer;
  const account = (): AccountConfig => ({
    id: 'acc1',
    kind: 'ocis',
    label: 'oCIS',
    serverUrl: server.url,
    user: alice.id,
    userId: alice.id,
    userName: alice.id,
    demo: false,
  });
  const provider = () =>
    new WebDavProvider(
      'ocis',
      account(),
      { user: alice.id, secret: alice.appPassword },
      { parseHost: new InThreadHost(), http: { retries: 0, timeoutMs: 10_000 } },
    );
  const list = async (p: WebDavProvider, parentId: string | null = null) => {
    const all: TrashItem[] = [];
    for await (const chunk of p.listTrash(parentId)) all.push(...chunk.items);
    return all;
  };
  const byName = (items: TrashItem[], name: string) => {
    const found = items.find((i) => i.name === name);
    if (!found)
      throw new Error(`${name} not listed; got ${items.map((i) => `${i.originalFolder}|${i.name}`).join(', ')}`);
    return found;
  };
  const filesOf = (spaceId: string) => server.tree.snapshot(spaceId).files;
  const trashOf = (spaceId: string) => server.tree.snapshot(spaceId).trash.map((t) => t.name);

  beforeAll(async () => {
    server = await startWebDavServer({
      kind: 'ocis',
      seed: (tree) => {
        seedTestState(tree);
        seedOcisSpaces(tree);
      },
    });
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => server.control.reset());

  it('lists the personal trash and every project space it may see in one view; not the disabled one', async () => {
    const items = await list(provider());
    const names = items.map((i) => i.name);
    expect(names).toEqual(
      expect.arrayContaining(['notes.txt', 'plan.pdf', 'banner.png', 'Assets', 'old.pdf', 'api.md', 'minutes.pdf']),
    );
    expect(names).not.toContain('notes.txt.archive');
    expect(items.filter((i) => i.name === 'notes.txt')).toHaveLength(1); // Archive's notes.txt is not shown
    const plan = byName(items, 'plan.pdf');
    expect(plan).toMatchObject({
      originalFolder: 'Marketing › Campaigns/2025',
      originalFolderId: `/${marketing.id}!/Campaigns/2025`,
      size: 1000,
    });
    expect(plan.id.startsWith(`${marketing.id}!`)).toBe(true);
    expect(byName(items, 'minutes.pdf').originalFolder).toBe('Board');
    expect(byName(items, 'notes.txt').originalFolder).toBe('/');
    // What the role keeps the user from doing is on each item before they try.
    expect(byName(items, 'minutes.pdf')).toMatchObject({
      cannotRestore: expect.stringContaining('viewer of Board'),
      cannotDelete: expect.stringContaining('viewer of Board'),
    });
    expect(byName(items, 'api.md')).toMatchObject({
      cannotDelete: expect.stringContaining('an editor of Engineering'),
    });
    expect(byName(items, 'api.md').cannotRestore ?? null).toBeNull();
    expect(plan.cannotRestore ?? null).toBeNull();
    expect(plan.cannotDelete ?? null).toBeNull();
    expect(byName(items, 'notes.txt').cannotDelete ?? null).toBeNull();
    // A trashed folder's size comes from allprop's oc:size.
    expect(byName(items, 'Assets')).toMatchObject({ kind: 'folder', size: 1000 });
    // Browsing inside a trashed folder of a project space.
    const inside = await list(provider(), byName(items, 'Assets').id);
    expect(inside.map((i) => i.name).sort()).toEqual(['fonts', 'logo.svg']);
    expect(byName(inside, 'logo.svg').id).toMatch(new RegExp(`^${marketing.id.replace('$', '\\$')}!.+/logo\\.svg$`));
  });

  it('restores to where it was in its own space, and into another folder of the same space', async () => {
    const p = provider();
    const items = await list(p);
    const b = batch();
    await p.restore([byName(items, 'plan.pdf')], { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
    expect(b.results[0]).toMatchObject({ outcome: 'restored', finalPath: 'Marketing › Campaigns/2025/plan.pdf' });
    expect(filesOf(marketing.id)).toContain('/Campaigns/2025/plan.pdf');
    expect(server.tree.snapshot(alice.id).files).not.toContain('/Campaigns/2025/plan.pdf');

    const into = batch();
    await p.restore(
      [byName(items, 'banner.png')],
      { kind: 'folder', folderId: `/${marketing.id}!/Brand` },
      { recreateMissingFolders: false },
      into.ctx,
    );
    expect(into.results[0]).toMatchObject({ outcome: 'restored', finalPath: 'Marketing › Brand/banner.png' });
    expect(filesOf(marketing.id)).toContain('/Brand/banner.png');

    // An editor restores too.
    const e = batch();
    await p.restore([byName(items, 'api.md')], { kind: 'original' }, { recreateMissingFolders: false }, e.ctx);
    expect(e.results[0]).toMatchObject({ outcome: 'restored' });
    expect(filesOf(engineering.id)).toContain('/Specs/api.md');
  });

  it("undoes a Replace in a project space: the replaced file comes back from that space's trash", async () => {
    const p = provider();
    const plan = byName(await list(p), 'plan.pdf');
    const existing = server.tree.writeFile(marketing.id, 'Campaigns/2025/plan.pdf', 5);
    const b = batch({ answer: () => 'replace' });
    await p.restore([plan], { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
    expect(b.results[0]).toMatchObject({ outcome: 'replaced', finalPath: 'Marketing › Campaigns/2025/plan.pdf' });
    const u = batch();
    await p.undoRestore([{ key: plan.key, name: plan.name, landed: b.landed.get(plan.key)! }], u.ctx);
    expect(u.results[0]).toMatchObject({ outcome: 'reverted', error: null });
    expect(server.tree.resolve(marketing.id, 'Campaigns/2025/plan.pdf')?.id).toBe(existing.id);
    expect(trashOf(marketing.id)).toContain('plan.pdf');
  });

  it("an undo that finds nothing to move says where it looked by the space's name, never its id", async () => {
    const p = provider();
    const banner = byName(await list(p), 'banner.png');
    const b = batch();
    await p.restore([banner], { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
    server.tree.destroy(server.tree.resolve(marketing.id, 'Campaigns/2025/banner.png')!.id);
    const u = batch();
    await p.undoRestore([{ key: banner.key, name: banner.name, landed: b.landed.get(banner.key)! }], u.ctx);
    expect(u.results[0]).toMatchObject({
      outcome: 'kept',
      error: {
        code: 'NOT_FOUND',
        message: 'banner.png is no longer at Marketing › Campaigns/2025/banner.png; nothing was moved.',
      },
    });
    expect(JSON.stringify(u.results.map((r) => [r.finalPath, r.error?.message, r.note]))).not.toContain(marketing.id);
  });

  it('a space the user joins shows on the next listing of the whole trash (Reload), without a new provider', async () => {
    const p = new WebDavProvider(
      'ocis',
      account(),
      { user: alice.id, secret: alice.appPassword },
      { parseHost: new InThreadHost(), http: { retries: 0, timeoutMs: 10_000 }, spacesMaxAgeMs: 0 },
    );
    expect((await list(p)).map((i) => i.name)).not.toContain('welcome.txt');
    const id = 'storage-users-1$5e1f7c2a-8a4d-4b6e-9c11-00000000a0ff';
    server.tree.addSpace(id, 'Newcomers', { [alice.id]: 'editor' });
    server.tree.trash(server.tree.writeFile(id, 'welcome.txt', 10).id);
    const again = await list(p);
    expect(byName(again, 'welcome.txt').originalFolder).toBe('Newcomers');
  });

  it("keeps restores within the item's space", async () => {
    const p = provider();
    const items = await list(p);
    const b = batch();
    await p.restore(
      [byName(items, 'plan.pdf')],
      { kind: 'folder', folderId: '/Documents' },
      { recreateMissingFolders: false },
      b.ctx,
    );
    expect(b.results[0]).toMatchObject({
      outcome: 'failed',
      error: { code: 'UNSUPPORTED', message: expect.stringContaining('only be restored into a folder of Marketing') },
    });
    expect(trashOf(marketing.id)).toContain('plan.pdf');
  });

  it("the test server answers a restore into another space with reva's 400", async () => {
    const items = await list(provider());
    const plan = byName(items, 'plan.pdf');
    const key = plan.id.slice(plan.id.indexOf('!') + 1);
    const res = await fetch(
      `${server.url}/remote.php/dav/spaces/trash-bin/${encodeURIComponent(marketing.id)}/${key}`,
      {
        method: 'MOVE',
        headers: {
          Authorization: `Bearer ${alice.appPassword}`,
          Destination: `${server.url}/remote.php/dav/spaces/${encodeURIComponent(engineering.id)}/plan.pdf`,
        },
      },
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('');
  });

  it('says a viewer cannot restore (and the server answers 403 when asked anyway)', async () => {
    const p = provider();
    const minutes = byName(await list(p), 'minutes.pdf');
    const b = batch();
    await p.restore([minutes], { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
    expect(b.results[0]).toMatchObject({
      outcome: 'failed',
      error: { code: 'FORBIDDEN', message: expect.stringContaining('viewer of Board') },
    });
    expect(trashOf(board.id)).toEqual(['minutes.pdf']);
    const key = minutes.id.slice(minutes.id.indexOf('!') + 1);
    const res = await fetch(`${server.url}/remote.php/dav/spaces/trash-bin/${encodeURIComponent(board.id)}/${key}`, {
      method: 'MOVE',
      headers: {
        Authorization: `Bearer ${alice.appPassword}`,
        Destination: `${server.url}/remote.php/dav/spaces/${encodeURIComponent(board.id)}/minutes.pdf`,
      },
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Permission denied to restore');
  });

  it('deletes from a project space; a key that vanished is reva\'s 409 and reads "no longer in the trash"', async () => {
    const p = provider();
    const old = byName(await list(p), 'old.pdf');
    const b = batch();
    await p.remove([old], b.ctx);
    expect(b.results[0]).toMatchObject({ outcome: 'deleted' });
    expect(trashOf(marketing.id)).not.toContain('old.pdf');
    const again = batch();
    await p.remove([old], again.ctx);
    expect(again.results[0]).toMatchObject({
      outcome: 'failed',
      error: { code: 'NOT_FOUND', message: 'This item is no longer in the trash.' },
    });
    // Non-managers may not delete for good: said before anything is sent.
    const items = await list(p);
    const d = batch();
    await p.remove([byName(items, 'api.md'), byName(items, 'minutes.pdf')], d.ctx);
    expect(d.results.map((r) => r.error?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(trashOf(engineering.id)).toEqual(['api.md']);
  });

  it('empties each space it manages and says which spaces it left out', async () => {
    const p = provider();
    const b = batch();
    await p.empty(b.ctx);
    expect(trashOf(alice.id)).toEqual([]);
    expect(trashOf(marketing.id)).toEqual([]);
    expect(trashOf(engineering.id)).toEqual(['api.md']);
    expect(trashOf(board.id)).toEqual(['minutes.pdf']);
    expect(b.progress.join('\n')).toContain('Emptying the trash of Personal, Marketing');
    expect(b.progress.join('\n')).toContain('Engineering, Board left out');
    const skipped = b.results.filter((r) => r.outcome === 'skipped');
    expect(skipped.map((r) => r.name).sort()).toEqual(['api.md', 'minutes.pdf']);
    expect(b.results.filter((r) => r.outcome === 'deleted').length).toBeGreaterThan(5);
  });

  it("the folder picker leads from Home into the project spaces (a viewer's is read-only)", async () => {
    const p = provider();
    const home = await p.listFolders(null);
    const spaces = home.children.filter((c) => c.id.includes('!'));
    expect(spaces.map((s) => [s.name, s.canWrite])).toEqual([
      ['Marketing', true],
      ['Engineering', true],
      ['Board', false],
    ]);
    const m = await p.listFolders(spaces[0]!.id);
    expect(m.folder).toMatchObject({ name: 'Marketing', path: 'Marketing' });
    expect(m.children.map((c) => [c.name, c.path])).toEqual(expect.arrayContaining([['Brand', 'Marketing › Brand']]));
  });

  it('signs in by reading storage, not the canned Depth 0 answer of a trash root', async () => {
    const res = await fetch(`${server.url}/remote.php/dav/spaces/trash-bin/storage-users-1%24no-such-space`, {
      method: 'PROPFIND',
      headers: { Authorization: `Bearer ${alice.appPassword}`, Depth: '0' },
      body: '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:allprop/></d:propfind>',
    });
    expect(res.status).toBe(207); // reva's canned reply, whatever the space
    await expect(provider().checkConnection()).resolves.toMatchObject({ userId: 'alice' });
  });
});
