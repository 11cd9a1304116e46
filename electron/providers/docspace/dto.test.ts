import { describe, expect, it } from 'vitest';
import { startDocSpaceServer, TEST_KEYS } from '../../demo/servers/docspace/index';
import { scopeFor } from './api';
import {
  canWriteInto,
  expiryFromPolicy,
  originDisplay,
  parseItemId,
  parseReply,
  replies,
  toTrashItem,
  type EntryDto,
} from './dto';
import { pickOperation } from './operations';

const ctx = { accountId: 'a', policy: null, parentId: null, parentPath: null };

describe('DocSpace DTO mapping', () => {
  it('keeps files and folders apart and third-party string ids intact', () => {
    expect(parseItemId('file:42')).toEqual({ kind: 'file', dsId: 42 });
    expect(parseItemId('folder:sbox-7|/Docs')).toEqual({ kind: 'folder', dsId: 'sbox-7|/Docs' });
    expect(() => parseItemId('42')).toThrow();
    const item = toTrashItem({ id: 'sbox-7|/a.txt', title: 'a.txt', fileEntryType: 2, fileExst: '.TXT' }, ctx);
    expect(item).toMatchObject({ id: 'file:sbox-7|/a.txt', ext: 'txt', size: 0, originalFolderId: null });
  });

  it('shows the room and the folder an item came from', () => {
    const e = (o: Partial<EntryDto>): EntryDto => ({ id: 1, title: 't', fileEntryType: 2, ...o });
    expect(originDisplay(e({ originId: 5, originTitle: 'Specs', originRoomId: 3, originRoomTitle: 'Product' }))).toBe(
      'Product / Specs',
    );
    expect(originDisplay(e({ originId: 3, originTitle: 'Product', originRoomId: 3, originRoomTitle: 'Product' }))).toBe(
      'Product',
    );
    expect(originDisplay(e({ originId: 9, originTitle: 'My documents' }))).toBe('My documents');
    expect(originDisplay(e({}))).toBe('');
  });

  it('computes expiry from the auto-cleanup gap when the server sends no autoDelete', () => {
    const at = '2026-01-31T10:00:00.0000000+00:00';
    expect(expiryFromPolicy(at, { isAutoCleanUp: true, gap: 1 })).toBe('2026-02-07T10:00:00.000Z');
    expect(expiryFromPolicy(at, { isAutoCleanUp: true, gap: 4 })).toBe('2026-03-02T10:00:00.000Z');
    expect(expiryFromPolicy('2026-01-15T10:00:00Z', { isAutoCleanUp: true, gap: 3 })).toBe('2026-02-15T10:00:00.000Z');
    expect(expiryFromPolicy(at, { isAutoCleanUp: false, gap: 4 })).toBeNull();
    const item = toTrashItem(
      { id: 1, title: 'x.pdf', fileEntryType: 2, updated: at },
      { ...ctx, policy: { isAutoCleanUp: true, gap: 2 } },
    );
    expect(item.expiresAt).toBe('2026-02-14T10:00:00.000Z');
    expect(item.deletedAt).toBe('2026-01-31T10:00:00.000Z');
  });

  it('accepts a folder as a target only with MoveTo and Create, never the Rooms root', () => {
    const f = (o: Partial<EntryDto>): EntryDto => ({ id: 1, title: 'f', fileEntryType: 1, rootFolderType: 5, ...o });
    expect(canWriteInto(f({ security: { MoveTo: true, Create: true } }))).toBe(true);
    expect(canWriteInto(f({ security: { MoveTo: true, Create: false } }))).toBe(false);
    expect(canWriteInto(f({ security: { MoveTo: true, Create: true }, type: 14 }))).toBe(false);
    expect(canWriteInto(f({ security: { MoveTo: true, Create: true }, rootFolderType: 3 }))).toBe(false);
  });

  it('names the scope a route needs', () => {
    expect(scopeFor('PUT', 'files/fileops/move')).toBe('files:write');
    expect(scopeFor('GET', 'files/rooms')).toBe('rooms:read');
    expect(scopeFor('GET', 'people/@self')).toBe('accounts.self:read');
  });

  it('picks the operation a start call created, also when the portal lists them all', () => {
    expect(pickOperation([{ id: 'x', Operation: 2, finished: true }], 0)!.id).toBe('x');
    const all = [
      { id: 'old', Operation: 0, finished: true },
      { id: 'del', Operation: 2, finished: false },
      { id: 'new', Operation: 0, finished: false },
    ];
    expect(pickOperation(all, 0)!.id).toBe('new');
    expect(pickOperation([], 0)).toBeNull();
    expect(() => pickOperation({}, 0)).toThrow();
  });
});

describe('DocSpace answers are checked at the edge', () => {
  const call = { method: 'GET', path: 'files/@trash' };

  it('takes what Salvage reads, welcomes extra fields (dropped) and omitted or null ones', () => {
    const page = parseReply(
      replies.folderContent,
      {
        files: [
          {
            id: 7,
            title: 'a.txt',
            fileEntryType: 2,
            viewUrl: 'https://x/7',
            webUrl: 'https://x/e/7',
            thumbnailStatus: 0,
            fileExst: null,
            security: { MoveTo: true, Rename: true },
          },
        ],
        folders: [{ id: 'sbox-1|/Old', title: 'Old', fileEntryType: 1 }],
        current: { id: 3, title: 'Trash', type: 3 },
        total: 2,
        new: 0,
      },
      call,
    );
    expect(page.files).toEqual([
      { id: 7, title: 'a.txt', fileEntryType: 2, thumbnailStatus: 0, fileExst: null, security: { MoveTo: true } },
    ]);
    expect(page.folders?.[0]).toEqual({ id: 'sbox-1|/Old', title: 'Old', fileEntryType: 1 });
    expect(page.current).toEqual({ id: 3, title: 'Trash', type: 3 });
    expect(toTrashItem(page.files![0]!, ctx)).toMatchObject({
      ext: '',
      size: 0,
      originalFolderId: null,
      deletedAt: null,
    });
    expect(toTrashItem({ ...page.files![0]!, originId: null, updated: null }, ctx)).toMatchObject({
      originalFolderId: null,
      expiresAt: null,
    });
    // A folder read on its own (its info, a breadcrumb) needs no fileEntryType; a listing entry does.
    expect(
      parseReply(replies.folderPath, [{ id: 1, title: 'My documents', security: { MoveTo: true, Create: true } }]),
    ).toHaveLength(1);
  });

  it('turns a malformed answer into BAD_RESPONSE naming the field', () => {
    const bad = (reply: Parameters<typeof parseReply>[0], value: unknown) => {
      try {
        parseReply(reply, value, call);
      } catch (e) {
        return e;
      }
      throw new Error('accepted');
    };
    expect(
      bad(replies.folderContent, {
        files: [
          { id: 1, title: 'a', fileEntryType: 2 },
          { id: 2, title: 5, fileEntryType: 2 },
        ],
      }),
    ).toMatchObject({
      code: 'BAD_RESPONSE',
      message: expect.stringMatching(
        /^DocSpace sent an unreadable folder listing \(files\.1\.title: .*expected string/,
      ),
      details: { request: 'GET files/@trash', field: 'files.1.title' },
    });
    expect(bad(replies.folderContent, { folders: [{ id: 2, title: 'no kind' }] })).toMatchObject({
      details: { field: 'folders.0.fileEntryType' },
    });
    expect(bad(replies.folderContent, null)).toMatchObject({
      code: 'BAD_RESPONSE',
      message: expect.stringContaining('folder listing'),
    });
    expect(bad(replies.self, { displayName: 'Alice' })).toMatchObject({
      code: 'BAD_RESPONSE',
      details: { field: 'id' },
    });
    expect(bad(replies.conflicts, { id: 1 })).toMatchObject({ code: 'BAD_RESPONSE' });
    expect(bad(replies.item, { id: 1, title: 'a', security: { MoveTo: 'yes' } })).toMatchObject({
      details: { field: 'security.MoveTo' },
    });
  });

  it('passes over listed operations that are not operations (older portals list them all), but not a non-list', () => {
    expect(
      parseReply(replies.operations, [{ id: 'x', Operation: 0, finished: null }, { Operation: 2 }, null, 'x']),
    ).toEqual([{ id: 'x', Operation: 0, finished: null }]);
    expect(() => parseReply(replies.operations, { id: 'x' })).toThrow(/unreadable operation status/);
  });

  it('checks a 1,000-entry page of real DTOs', async () => {
    // The test server's trash DTOs (about 30 fields each, 1.5 KB), ten pages of 100 made one page.
    const server = await startDocSpaceServer({});
    const files: unknown[] = [];
    try {
      server.control.seed('alice', 1000);
      for (let start = 0; files.length < 1000; start += 100) {
        const res = await fetch(`${server.url}/api/2.0/files/@trash?count=100&startIndex=${start}`, {
          headers: { Authorization: `Bearer ${TEST_KEYS.alice}` },
        });
        files.push(...((await res.json()) as { response: { files: unknown[] } }).response.files);
      }
    } finally {
      await server.close();
    }
    const page = { files: files.slice(0, 1000), folders: [], total: 1000, count: 1000, startIndex: 0 };
    // How long this takes is a benchmark's business (npm run bench), not a test's.
    const parsed = parseReply(replies.folderContent, page);
    expect(parsed.files).toHaveLength(1000);
  });
});
