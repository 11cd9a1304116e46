import { describe, expect, it } from 'vitest';
import type { TrashItem } from '../../../shared/model';
import { activityDeletions, nextcloudLosses, ownCloudLastLocations, ownCloudLosses } from './sameSecond';

/**
 * Same-named files deleted in one second, from the answers the real servers gave (ownCloud 10.15.2
 * and Nextcloud 32.0.1 on this machine: Col/A, Col/B and Col/C each had a same.txt, deleted one
 * after the other within a second).
 */

const T = 1796615318;
const item = (over: Partial<TrashItem>): TrashItem => ({
  key: `acc:${over.id ?? 'x'}`,
  accountId: 'acc',
  id: 'same.txt.d1796615318',
  name: 'same.txt',
  kind: 'file',
  size: 15,
  deletedAt: new Date(T * 1000).toISOString(),
  originalFolder: '/Col/C',
  originalFolderId: '/Col/C',
  expiresAt: null,
  mimeType: 'text/plain',
  ext: 'txt',
  deletedBy: 'admin',
  parentId: null,
  ...over,
});

describe('Nextcloud: the copies lost, from its activity records', () => {
  // Trimmed from GET ocs/v2.php/apps/activity/api/v2/activity/all?format=json (one group of three deletions).
  const page = {
    ocs: {
      meta: { status: 'ok', statuscode: 200, message: 'OK' },
      data: [
        {
          activity_id: 6811,
          app: 'files',
          type: 'file_deleted',
          subject: 'You deleted Col/C/same.txt, Col/B/same.txt and Col/A/same.txt',
          objects: { '4778': '/Col/C/same.txt', '4776': '/Col/B/same.txt', '4774': '/Col/A/same.txt' },
          datetime: '2026-12-07T03:48:38+00:00',
        },
        {
          activity_id: 6790,
          app: 'files',
          type: 'file_created',
          objects: { '4770': '/Col/A/same.txt' },
          datetime: '2026-12-07T03:48:35+00:00',
        },
      ],
    },
  };

  it('reads the deletions of a page and how far back it reaches', () => {
    const { deleted, oldest, count } = activityDeletions(page);
    expect(count).toBe(2);
    expect(oldest).toBe(Date.parse('2026-12-07T03:48:35Z'));
    expect(deleted.map((d) => d.path).sort()).toEqual(['/Col/A/same.txt', '/Col/B/same.txt', '/Col/C/same.txt']);
    expect(activityDeletions({ ocs: { data: 'nonsense' } })).toEqual({ deleted: [], oldest: null, count: 0 });
    expect(activityDeletions(null).count).toBe(0);
  });

  it('names each copy deleted with the entry that is neither in the trash nor live: the server lost it', () => {
    const entry = item({ id: 'same.txt.d1796615318', fileId: '4778' });
    const { deleted } = activityDeletions(page);
    const losses = nextcloudLosses([entry], deleted, new Set(['4778']), new Set());
    expect(losses).toEqual([
      {
        itemKey: entry.key,
        name: 'same.txt',
        deletedAt: entry.deletedAt,
        lost: ['/Col/A/same.txt', '/Col/B/same.txt'],
        keptFrom: '/Col/C',
        complete: true,
      },
    ]);
    // Restored since (live again), or still in the trash as its own entry: not lost.
    expect(nextcloudLosses([entry], deleted, new Set(['4778', '4776']), new Set(['4774']))).toEqual([]);
  });

  it('leaves out deletions of other names, and those too far from the entry in time', () => {
    const entry = item({ fileId: '4778' });
    const far = [{ id: '9', path: '/Col/D/same.txt', at: T * 1000 + 5 * 60_000 }];
    const other = [{ id: '8', path: '/Col/D/other.txt', at: T * 1000 }];
    expect(nextcloudLosses([entry], [...far, ...other], new Set(['4778']), new Set())).toEqual([]);
  });
});

describe('ownCloud 10: the first and last folders, from its trash app', () => {
  // GET index.php/apps/files_trashbin/ajax/list.php?dir=/ on ownCloud 10.15.2, where WebDAV listed the entry as
  // Col/A/same.txt.
  const ajax = {
    data: {
      permissions: 0,
      directory: '/',
      files: [
        {
          id: 0,
          parentId: null,
          mtime: T * 1000,
          name: 'same.txt',
          permissions: 1,
          mimetype: 'text/plain',
          size: 15,
          type: 'file',
          etag: T * 1000,
          extraData: 'Col/C/same.txt',
        },
      ],
    },
    status: 'success',
  };

  it('tells an entry whose WebDAV folder (first deletion) differs from the last deletion: the kept content is the last one', () => {
    const entry = item({ id: '4031', key: 'acc:4031', originalFolder: '/Col/A', originalFolderId: '/Col/A' });
    const last = ownCloudLastLocations(ajax);
    expect(last.get(`same.txt\0${T}`)).toBe('Col/C/same.txt');
    expect(ownCloudLosses([entry], last)).toEqual([
      {
        itemKey: 'acc:4031',
        name: 'same.txt',
        deletedAt: entry.deletedAt,
        lost: ['/Col/A/same.txt'],
        keptFrom: '/Col/C',
        complete: false,
      },
    ]);
    // One deletion in that second: both say the same folder.
    expect(ownCloudLosses([item({ originalFolder: '/Col/C' })], last)).toEqual([]);
    expect(ownCloudLastLocations({ status: 'error' }).size).toBe(0);
  });

  it('reads a file deleted from the root ("./name" in the app\'s listing) as deleted from the root, not as a loss', () => {
    const root = {
      data: { files: [{ ...ajax.data.files[0]!, name: 'top.txt', extraData: './top.txt' }] },
      status: 'success',
    };
    const last = ownCloudLastLocations(root);
    expect(last.get(`top.txt\0${T}`)).toBe('top.txt');
    expect(ownCloudLosses([item({ name: 'top.txt', originalFolder: '/', originalFolderId: '/' })], last)).toEqual([]);
  });
});
