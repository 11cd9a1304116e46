import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TrashItem } from '../../../shared/model';
import type { ReadContext, WebDavKind } from './dialect';
import { parseMultistatus, parseSabreError } from './multistatus';
import { createTrashParse } from './trashParse';

/** Parses recorded multistatus bodies of real servers and checks every field. */

const fixtures = new URL('../../../e2e/fixtures/webdav/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, fixtures), 'utf8');

interface Exchange {
  title: string;
  method: string;
  target: string;
  status: number;
  body: string;
}
const exchanges = JSON.parse(read('nextcloud-32.0.1.json')) as Exchange[];
const body = (title: string) => {
  const e = exchanges.find((x) => x.title === title);
  if (!e) throw new Error(`no recording "${title}"`);
  return e.body.startsWith('@') ? read(e.body.slice(1)) : e.body;
};

function parse(
  kind: WebDavKind,
  xml: string,
  ctx: Partial<ReadContext> & { trashRootPath: string },
  split = 0,
  chunkSize = 1000,
): { items: TrashItem[]; chunks: number[] } {
  const items: TrashItem[] = [];
  const chunks: number[] = [];
  const full: ReadContext = { accountId: 'acc', parentId: null, listedPath: ctx.trashRootPath, ...ctx };
  const session = createTrashParse(
    kind,
    full,
    (c) => {
      chunks.push(c.length);
      items.push(...c);
    },
    chunkSize,
  );
  const bytes = Buffer.from(xml, 'utf8');
  const step = split || bytes.length;
  for (let i = 0; i < bytes.length; i += step) session.write(bytes.subarray(i, i + step));
  session.end();
  return { items, chunks };
}

const NC_ROOT = '/remote.php/dav/trashbin/admin/trash';

describe('Nextcloud 32 recorded trash listings', () => {
  it('reads every field of the Depth 1 listing', () => {
    const { items } = parse('nextcloud', body('PROPFIND trash Depth 1 with requested props'), {
      trashRootPath: NC_ROOT,
    });
    expect(items.map((i) => i.id)).toEqual([
      'same.txt.d1795634743',
      'plain.txt.d1795634742',
      'Folder.d1795634741',
      'Résumé 2024.pdf.d1795634741',
      'dup.txt.d1795634740',
      'dup.txt.d1795634737',
    ]);
    expect(items[0]).toEqual({
      key: 'acc:same.txt.d1795634743',
      accountId: 'acc',
      id: 'same.txt.d1795634743',
      name: 'same.txt',
      kind: 'file',
      size: 5,
      deletedAt: new Date(1795634743 * 1000).toISOString(),
      originalFolder: '/',
      originalFolderId: '/',
      expiresAt: null,
      mimeType: 'text/plain',
      ext: 'txt',
      deletedBy: 'admin',
      parentId: null,
      // The file's own id (oc:fileid): it keeps it in and out of the trash.
      fileId: '22',
    });
    expect(items[2]).toMatchObject({ name: 'Folder', kind: 'folder', size: 19, mimeType: null, ext: '' });
    expect(items[3]).toMatchObject({ name: 'Résumé 2024.pdf', size: 20, mimeType: 'application/pdf', ext: 'pdf' });
  });

  it('gives the same items whatever the byte boundaries (split inside UTF-8 characters)', () => {
    const xml = body('PROPFIND trash Depth 1 with requested props');
    const whole = parse('nextcloud', xml, { trashRootPath: NC_ROOT }).items;
    for (const split of [1, 7, 13, 64])
      expect(parse('nextcloud', xml, { trashRootPath: NC_ROOT }, split).items).toEqual(whole);
  });

  it('reads an allprop listing (no nc: properties) from the hrefs', () => {
    const { items } = parse('nextcloud', body('PROPFIND trash Depth 1 allprop'), { trashRootPath: NC_ROOT });
    expect(items.map((i) => i.name)).toEqual([
      'same.txt',
      'plain.txt',
      'Folder',
      'Résumé 2024.pdf',
      'dup.txt',
      'dup.txt',
    ]);
    expect(items[0]).toMatchObject({ size: 5, deletedAt: '2026-11-25T19:25:43.000Z', originalFolderId: null });
  });

  it('reads a trashed folder and its subfolder with addressable ids', () => {
    const parentId = 'Folder.d1795634741';
    const { items } = parse('nextcloud', body('PROPFIND inside trashed folder Depth 1'), {
      trashRootPath: NC_ROOT,
      parentId,
      listedPath: `${NC_ROOT}/${parentId}`,
    });
    expect(items.map((i) => [i.id, i.name, i.kind, i.originalFolder, i.parentId])).toEqual([
      ['Folder.d1795634741/Sub', 'Sub', 'folder', '/Folder', parentId],
      ['Folder.d1795634741/a.txt', 'a.txt', 'file', '/Folder', parentId],
    ]);
    const sub = parse('nextcloud', body('PROPFIND inside trashed folder subfolder Depth 1'), {
      trashRootPath: NC_ROOT,
      parentId: 'Folder.d1795634741/Sub',
      listedPath: `${NC_ROOT}/Folder.d1795634741/Sub`,
    }).items;
    expect(sub.map((i) => [i.id, i.originalFolder, i.size])).toEqual([
      ['Folder.d1795634741/Sub/b.txt', '/Folder/Sub', 13],
    ]);
  });

  it('keeps odd names exactly: escapes, "&", names ending in .dNNNN, no extension', () => {
    const { items } = parse(
      'nextcloud',
      body('PROPFIND trash Depth 1 (limited via paginate count 4) with ownCloud-style and generic props'),
      { trashRootPath: NC_ROOT },
    );
    expect(items.map((i) => [i.id, i.name, i.ext])).toEqual([
      ['README.d1795635188', 'README', ''],
      ['report.d2024.d1795635188', 'report.d2024', 'd2024'],
      ['a#b%c&d+e ü [1].txt.d1795635187', 'a#b%c&d+e ü [1].txt', 'txt'],
    ]);
  });

  it('strips the leading "/" of items deleted in a folder shared with the user and names who deleted them', () => {
    const shared = exchanges.filter(
      (e) => e.method === 'PROPFIND' && e.status === 207 && e.body.includes('original-location>/'),
    );
    expect(shared.length).toBeGreaterThan(0);
    const e = shared[0]!;
    const root = `/remote.php/dav/trashbin/${/trashbin\/([^/]+)/.exec(e.target)![1]}/trash`;
    const listed = decodeURIComponent(e.target).replace(/\/+$/, '');
    const { items } = parse('nextcloud', e.body, {
      trashRootPath: root,
      listedPath: listed === root ? root : '/nothing',
    });
    const plan = items.find((i) => i.name === 'plan.txt');
    expect(plan).toMatchObject({ originalFolder: '/Team', originalFolderId: '/Team' });
  });

  it('reads the 1,000-item recording in chunks, names as strings', () => {
    const { items, chunks } = parse(
      'nextcloud',
      body('PROPFIND trash with 1000 items, Depth 1, 11 props (app password auth)'),
      { trashRootPath: NC_ROOT },
      4096,
      300,
    );
    expect(items).toHaveLength(1000);
    expect(chunks).toEqual([300, 300, 300, 100]);
    expect(items.every((i) => typeof i.name === 'string' && i.name.length > 0 && i.kind === 'file')).toBe(true);
    expect(new Set(items.map((i) => i.id)).size).toBe(1000);
  });

  it('reads an empty trash', () => {
    expect(parse('nextcloud', body('PROPFIND empty trash Depth 1'), { trashRootPath: NC_ROOT }).items).toEqual([]);
  });

  it('reads Sabre error bodies', () => {
    expect(parseSabreError(body('MOVE trash t2 -> files/admin/Other/exists.txt Overwrite: F'))).toEqual({
      exception: 'Sabre\\DAV\\Exception\\PreconditionFailed',
      message: 'The destination node already exists, and the overwrite header is set to false',
    });
    expect(parseSabreError(body('MOVE nonexistent trash item to restore/'))).toEqual({
      exception: 'Sabre\\DAV\\Exception\\NotFound',
      message: null,
    });
  });

  it('refuses a body that is not a multistatus', () => {
    expect(() => parse('nextcloud', body('DELETE trash item t2 again'), { trashRootPath: NC_ROOT })).toThrow(
      /multistatus/,
    );
    expect(() => parseMultistatus('<d:multistatus xmlns:d="DAV:"><d:response>')).toThrow();
  });
});

describe('ownCloud 10 trash-bin listings (fixtures from ownCloud source and docs)', () => {
  const OC_ROOT = '/owncloud/remote.php/dav/trash-bin/einstein';

  it('reads every field, under a sub-path install', () => {
    const { items } = parse('owncloud10', read('owncloud10-trash.xml'), { trashRootPath: OC_ROOT });
    expect(items.map((i) => i.id)).toEqual(['2147483984', '2147483990', '2147484001', '2147484002', '2147484003']);
    expect(items[0]).toEqual({
      key: 'acc:2147483984',
      accountId: 'acc',
      id: '2147483984',
      name: 'Photos',
      kind: 'folder',
      size: null,
      deletedAt: '2020-05-29T12:43:06.000Z',
      originalFolder: '/',
      originalFolderId: '/',
      expiresAt: null,
      mimeType: null,
      ext: '',
      deletedBy: null,
      parentId: null,
      // ownCloud 10's trash ids are the file ids.
      fileId: '2147483984',
    });
    expect(items[1]).toMatchObject({
      name: 'q1 report #2 (50%+).pdf',
      size: 3456789,
      originalFolder: '/Documents/Reports 2020',
      mimeType: 'application/pdf',
      ext: 'pdf',
    });
  });

  it('keeps number- and boolean-looking names as strings', () => {
    const { items } = parse('owncloud10', read('owncloud10-trash.xml'), { trashRootPath: OC_ROOT });
    expect(items[2]).toMatchObject({ name: '2024.10', originalFolder: '/Notes', size: 0 });
    expect(items[3]).toMatchObject({ name: 'true', originalFolder: '/', deletedAt: '2020-05-29T12:45:01.000Z' });
  });

  it('marks an original location that climbs out of the tree as unknown', () => {
    const { items } = parse('owncloud10', read('owncloud10-trash.xml'), { trashRootPath: OC_ROOT });
    expect(items[4]).toMatchObject({ name: 'evil.txt', originalFolderId: null });
  });

  it('reads a trashed folder: children named by file id below the folder id', () => {
    const { items } = parse('owncloud10', read('owncloud10-trash-folder.xml'), {
      trashRootPath: OC_ROOT,
      parentId: '2147483984',
      listedPath: `${OC_ROOT}/2147483984`,
    });
    expect(items.map((i) => [i.id, i.name, i.kind, i.originalFolder, i.parentId])).toEqual([
      ['2147483984/2147483985', 'Paris.jpg', 'file', '/Photos', '2147483984'],
      ['2147483984/2147483986', 'Vacation 2019', 'folder', '/Photos', '2147483984'],
    ]);
  });
});
