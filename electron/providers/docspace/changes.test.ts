import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDocSpaceServer, TEST_KEYS, type DocSpaceServer } from '../../demo/servers/docspace/index';
import type { TrashItem } from '../../../shared/model';
import { defaultHttpOptions } from '../../net/http';
import { DocSpaceProvider } from './provider';

/** The watch on DocSpace: one page of one entry tells whether the trash changed; what is new is read newest first. */

let server: DocSpaceServer;
let gets: string[];

beforeEach(async () => {
  server = await startDocSpaceServer({ opItemMs: 1 });
  gets = [];
});
afterEach(() => server.close());

const counting: typeof fetch = async (input, init) => {
  gets.push(String(input));
  return fetch(input, init);
};

const provider = () =>
  new DocSpaceProvider(
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
    { user: '', secret: TEST_KEYS.alice },
    { http: { ...defaultHttpOptions, retries: 0, fetch: counting } },
  );

const newest = async (p: DocSpaceProvider, after: string) => {
  const out: TrashItem[] = [];
  for await (const chunk of p.listTrashNewest(after)) out.push(...chunk.items);
  return out;
};

describe('DocSpace: the cheap check and the newest-first reading', () => {
  it('one request per check; a deleted file or folder changes it, as does one leaving the trash', async () => {
    const p = provider();
    const s = server.state;
    const first = await p.checkTrashChanges(null);
    expect(first).toMatchObject({ change: 'unknown', via: 'trash total' });
    gets.length = 0;
    let c = await p.checkTrashChanges(first.cursor);
    expect(c.change).toBe('same');
    expect(gets).toHaveLength(1);
    expect(new URL(gets[0]!).searchParams.get('count')).toBe('1');

    const my = s.myRoot('alice');
    const file = s.addFile(my, 'late.docx', 10, { by: 'alice' });
    s.trashNode('alice', file.id, Date.now());
    c = await p.checkTrashChanges(c.cursor);
    expect(c.change).toBe('changed');
    expect((await p.checkTrashChanges(c.cursor)).change).toBe('same');

    const folder = s.addFolder(my, 'Gone', { by: 'alice' });
    s.trashNode('alice', folder.id, Date.now());
    c = await p.checkTrashChanges(c.cursor);
    expect(c.change).toBe('changed');

    s.destroy(s.node(file.id)!);
    c = await p.checkTrashChanges(c.cursor);
    expect(c.change).toBe('changed');
    expect((await p.checkTrashChanges(c.cursor)).change).toBe('same');
  });

  it('a file deleted as another leaves the trash: the total stays, the newest file tells, within two checks', async () => {
    const p = provider();
    const s = server.state;
    const my = s.myRoot('alice');
    let c = await p.checkTrashChanges(null);
    c = await p.checkTrashChanges(c.cursor);
    expect(c.change).toBe('same');
    const gone = s.trashOf('alice').find((n) => n.kind === 'file')!;
    s.destroy(gone); // deleted for good (or restored, or expired)
    const f = s.addFile(my, 'again.txt', 1, { by: 'alice' });
    s.trashNode('alice', f.id, Date.now());
    const seen: string[] = [];
    for (let i = 0; i < 2; i++) {
      c = await p.checkTrashChanges(c.cursor);
      seen.push(c.change);
    }
    expect(seen).toContain('changed');
    expect((await p.checkTrashChanges(c.cursor)).change).toBe('same');
    expect((await p.checkTrashChanges((await p.checkTrashChanges(c.cursor)).cursor)).change).toBe('same');
  });

  it('reads only what was deleted since a time, folders and files, a page at a time', async () => {
    const p = provider();
    const s = server.state;
    const my = s.myRoot('alice');
    const t0 = Date.now() + 60_000; // after everything the seed trashed
    for (let i = 0; i < 150; i++) {
      const f = s.addFile(my, `n${i}.txt`, 10, { by: 'alice' });
      s.trashNode('alice', f.id, t0 + i * 1000);
    }
    const d = s.addFolder(my, 'Folder gone', { by: 'alice' });
    s.trashNode('alice', d.id, t0 + 500_000);
    const before = s.trashOf('alice').length;
    expect(before).toBeGreaterThan(151);

    gets.length = 0;
    const items = await newest(p, new Date(t0 + 100_000).toISOString());
    // Files n100…n149 and the folder: 51 items, newest first within each kind.
    expect(items.map((i) => i.name)).toEqual([
      'Folder gone',
      ...Array.from({ length: 50 }, (_, k) => `n${149 - k}.txt`),
    ]);
    expect(items.every((i) => i.deletedAt !== null && Date.parse(i.deletedAt) >= t0 + 100_000)).toBe(true);
    // One page of folders and one of files (plus the auto-cleanup setting and the origin folder's path).
    const pages = gets.filter((u) => new URL(u).pathname.endsWith('/files/@trash'));
    expect(pages).toHaveLength(2);

    gets.length = 0;
    const all150 = await newest(p, new Date(t0).toISOString());
    expect(all150.filter((i) => i.kind === 'file')).toHaveLength(150);
    expect(gets.filter((u) => new URL(u).pathname.endsWith('/files/@trash'))).toHaveLength(3); // 100 + 50 files, 1 folder page
  });
});
