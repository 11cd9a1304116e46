import { describe, expect, it } from 'vitest';
import type { TrashItem } from '../../shared/model';
import { restoreWaves, webDavPlaces } from './places';

const item = (key: string, kind: 'file' | 'folder', folder: string | null, name: string): TrashItem => ({
  key,
  accountId: 'a',
  id: key,
  name,
  kind,
  size: null,
  deletedAt: null,
  originalFolder: folder ?? '',
  originalFolderId: folder,
  expiresAt: null,
  mimeType: null,
  ext: '',
  deletedBy: null,
  parentId: null,
});

describe('restore waves', () => {
  // Deleted in this order: a file deep inside, its folder, then the folder above it.
  const deep = item('deep', 'file', '/P/A/B/C', 'x.txt');
  const c = item('c', 'folder', '/P/A/B', 'C');
  const a = item('a', 'folder', '/P', 'A');
  const b2 = item('b2', 'file', '/P/A/B', 'y.txt');
  const other = item('other', 'file', '/Q', 'z.txt');
  const lookalike = item('look', 'file', '/P/AB', 'w.txt');
  const orphan = item('orphan', 'file', null, 'o.txt');

  it('puts every trashed folder before what lies inside it, whatever the order given', () => {
    const items = [deep, b2, c, lookalike, a, other, orphan];
    const { waves, depth } = restoreWaves(items, webDavPlaces(items));
    expect(waves.map((w) => w.map((i) => i.key))).toEqual([['look', 'a', 'other', 'orphan'], ['b2', 'c'], ['deep']]);
    expect(depth.get('deep')).toBe(2);
  });

  it('is one wave when no folder of the batch holds another item', () => {
    const items = [deep, b2, other];
    expect(restoreWaves(items, webDavPlaces(items)).waves).toEqual([items]);
  });
});
