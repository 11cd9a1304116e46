import { describe, expect, it } from 'vitest';
import { scopeFor } from './api';
import { canWriteInto, expiryFromPolicy, originDisplay, parseItemId, toTrashItem, type EntryDto } from './dto';
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
    expect(originDisplay(e({ originId: 5, originTitle: 'Specs', originRoomId: 3, originRoomTitle: 'Product' }))).toBe('Product / Specs');
    expect(originDisplay(e({ originId: 3, originTitle: 'Product', originRoomId: 3, originRoomTitle: 'Product' }))).toBe('Product');
    expect(originDisplay(e({ originId: 9, originTitle: 'My documents' }))).toBe('My documents');
    expect(originDisplay(e({}))).toBe('');
  });

  it('computes expiry from the auto-cleanup gap when the server sends no autoDelete', () => {
    const at = '2026-01-31T10:00:00.0000000+00:00';
    expect(expiryFromPolicy(at, { isAutoCleanUp: true, gap: 1 })).toBe('2026-02-07T10:00:00.000Z');
    expect(expiryFromPolicy(at, { isAutoCleanUp: true, gap: 4 })).toBe('2026-03-02T10:00:00.000Z');
    expect(expiryFromPolicy('2026-01-15T10:00:00Z', { isAutoCleanUp: true, gap: 3 })).toBe('2026-02-15T10:00:00.000Z');
    expect(expiryFromPolicy(at, { isAutoCleanUp: false, gap: 4 })).toBeNull();
    const item = toTrashItem({ id: 1, title: 'x.pdf', fileEntryType: 2, updated: at }, { ...ctx, policy: { isAutoCleanUp: true, gap: 2 } });
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
