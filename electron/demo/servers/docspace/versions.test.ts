import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDocSpaceServer, TEST_KEYS, type DocSpaceServer } from './index';

/**
 * File versions on the DocSpace test server: Overwrite keeps the replaced content as an earlier
 * version, edit/history and history list them, restoreversion makes a NEW version with an earlier
 * one's content, saveediting saves new content as a client would.
 */

let server: DocSpaceServer;
beforeEach(async () => {
  server = await startDocSpaceServer({ opItemMs: 2 });
});
afterEach(async () => {
  await server.close();
});

type Json = Record<string, unknown> & { response: unknown };

async function call(
  method: string,
  path: string,
  init: { body?: unknown; raw?: BodyInit; headers?: Record<string, string>; key?: string } = {},
) {
  const res = await fetch(`${server.url}/api/2.0/${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${init.key ?? TEST_KEYS.alice}`,
      ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...init.headers,
    },
    ...(init.body !== undefined
      ? { body: JSON.stringify(init.body) }
      : init.raw !== undefined
        ? { body: init.raw }
        : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? (JSON.parse(text) as Json) : null };
}

interface FileDto {
  id: number;
  version: number;
  versionGroup: number;
  pureContentLength?: number;
  comment?: string;
  [k: string]: unknown;
}
interface EditHistoryDto {
  id: number;
  key: string;
  version: number;
  versionGroup: number;
  user: { id: string; name: string };
  created: string;
  changes: unknown[];
  [k: string]: unknown;
}

const API_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}\+00:00$/;

/**
 * A live "Q3 report.docx" (1 000 bytes) in Reports, and the trashed one (12 288 bytes) restored over it with Overwrite.
 */
async function replaceByOverwrite() {
  const reports = server.state.folderAt('alice', 'Reports')!;
  const live = server.state.addFile(reports.id, 'Q3 report.docx', 1_000, { by: 'bob' });
  const trashed = server.state
    .trashOf('alice')
    .find((n) => server.state.title(n) === 'Q3 report.docx' && n.id !== live.id)!;
  const start = await call('PUT', 'files/fileops/move', {
    body: {
      fileIds: [trashed.id],
      destFolderId: reports.id,
      conflictResolveType: 1,
      deleteAfter: false,
      returnSingleOperation: true,
    },
  });
  const opId = (start.json!.response as { id: string }[])[0]!.id;
  for (let i = 0; i < 200; i++) {
    const r = await call('GET', `files/fileops?id=${opId}`);
    if ((r.json!.response as unknown[]).length === 0) break;
    await new Promise((res) => setTimeout(res, 5));
  }
  return live;
}

describe('DocSpace file versions', () => {
  it('FileDto carries version and versionGroup; a new file is version 1 of group 1', async () => {
    const plan = server.state.addFile(server.state.folderAt('alice', 'Photos')!.id, 'plan.docx', 10, { by: 'alice' });
    const r = await call('GET', `files/file/${plan.id}`);
    expect(r.json!.response).toMatchObject({ id: plan.id, version: 1, versionGroup: 1, pureContentLength: 10 });
    expect(r.json!.response).not.toHaveProperty('comment');
  });

  it('Overwrite on move saves the trashed content as a new version and keeps the replaced one in the history', async () => {
    const live = await replaceByOverwrite();
    const now = (await call('GET', `files/file/${live.id}`)).json!.response as FileDto;
    expect(now).toMatchObject({
      id: live.id,
      version: 2,
      versionGroup: 2,
      pureContentLength: 12_288,
      comment: 'Overwritten',
    });

    const history = await call('GET', `files/file/${live.id}/edit/history`);
    expect(history.status).toBe(200);
    expect(history.json).toMatchObject({ count: 2, status: 0, statusCode: 200 });
    const rows = history.json!.response as EditHistoryDto[];
    expect(rows.map((h) => [h.version, h.versionGroup])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(Object.keys(rows[0]!)).toEqual(['id', 'key', 'version', 'versionGroup', 'user', 'created', 'changes']);
    expect(rows[0]).toMatchObject({
      id: live.id,
      user: { id: server.state.user('bob').guid, name: 'Bob Stone' },
      changes: [],
    });
    expect(rows[1]!.user).toEqual({
      id: server.state.user('alice').guid,
      name: server.state.user('alice').displayName,
    });
    expect(rows[0]!.created).toMatch(API_DATE);
    expect(rows[0]!.key).toMatch(/^[0-9A-Za-z_]+$/);
    expect(rows[0]!.key).not.toBe(rows[1]!.key);

    // Every version as a FileDto, newest first, each with its own size.
    const versions = (await call('GET', `files/file/${live.id}/history`)).json!.response as FileDto[];
    expect(versions.map((v) => [v.version, v.pureContentLength])).toEqual([
      [2, 12_288],
      [1, 1_000],
    ]);
    const v1 = (await call('GET', `files/file/${live.id}?version=1`)).json!.response as FileDto;
    expect(v1).toMatchObject({ id: live.id, version: 1, versionGroup: 1, pureContentLength: 1_000 });
    const missing = await call('GET', `files/file/${live.id}?version=9`);
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({
      status: 1,
      statusCode: 404,
      error: { message: 'The required file was not found', type: 'ASC.Common.Web.ItemNotFoundException' },
    });
  });

  it('restoreversion (POST) makes a new version with the old content and answers the edit history', async () => {
    const live = await replaceByOverwrite();
    const r = await call('POST', `files/file/${live.id}/restoreversion?version=1`);
    expect(r.status).toBe(200);
    const rows = r.json!.response as EditHistoryDto[];
    expect(r.json).toMatchObject({ count: 3, status: 0, statusCode: 200 });
    expect(rows.map((h) => [h.version, h.versionGroup])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    const now = (await call('GET', `files/file/${live.id}`)).json!.response as FileDto;
    expect(now).toMatchObject({ id: live.id, version: 3, versionGroup: 3, pureContentLength: 1_000 });
    expect(now.comment).toMatch(/^Restored from the revision of \d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d{2} (AM|PM)$/);
    // The others stay: version 2 still holds the content that replaced it.
    const v2 = (await call('GET', `files/file/${live.id}?version=2`)).json!.response as FileDto;
    expect(v2).toMatchObject({ version: 2, pureContentLength: 12_288 });
    expect(server.state.tree.node(live.id).size).toBe(1_000);
  });

  it('restoreversion refuses the current version, a missing version or none, and unknown files', async () => {
    const live = await replaceByOverwrite();
    const same = await call('POST', `files/file/${live.id}/restoreversion?version=2`);
    expect(same.status).toBe(400);
    expect(same.json).toMatchObject({
      status: 1,
      statusCode: 400,
      error: { message: 'The new version cannot be the same as the current one', type: 'System.ArgumentException' },
    });
    const none = await call('POST', `files/file/${live.id}/restoreversion`);
    expect(none.status).toBe(400);
    expect(none.json).toMatchObject({
      error: { message: "Value cannot be null. (Parameter 'version')", type: 'System.ArgumentNullException' },
    });
    const unknown = await call('POST', 'files/file/987654/restoreversion?version=1');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({
      error: { message: 'The required file was not found', type: 'System.IO.FileNotFoundException' },
    });
    // A version above the current one reads as the current one: a copy of it becomes version 3.
    const above = await call('POST', `files/file/${live.id}/restoreversion?version=7`);
    expect(above.status).toBe(200);
    expect(server.state.currentVersion(server.state.tree.node(live.id))).toMatchObject({ version: 3, size: 12_288 });
  });

  it('restoreversion needs files:write, is denied in the trash, and takes GET only before 3.6', async () => {
    const live = await replaceByOverwrite();
    const readOnly = await call('POST', `files/file/${live.id}/restoreversion?version=1`, {
      key: TEST_KEYS.aliceReadOnly,
    });
    expect(readOnly.status).toBe(403);
    expect(readOnly.text).toBe('');
    const get = await call('GET', `files/file/${live.id}/restoreversion?version=1`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');

    // The Trash allows no EditHistory: a SecurityException, answered as "Access denied".
    const trashed = server.state.trashOf('alice').find((n) => server.state.title(n) === 'Campaign brief.pdf')!;
    server.state.saveVersion(trashed, 9, 'alice', 'Edited');
    const denied = await call('POST', `files/file/${trashed.id}/restoreversion?version=1`);
    expect(denied.status).toBe(403);
    expect(denied.json).toMatchObject({
      status: 1,
      statusCode: 403,
      error: { message: 'Access denied', type: 'System.Security.SecurityException' },
    });
    await server.close();

    server = await startDocSpaceServer({ opItemMs: 2, version: '3.5.0.1000' });
    const older = await replaceByOverwrite();
    expect((await call('GET', `files/file/${older.id}/restoreversion?version=1`)).status).toBe(200);
    expect((await call('POST', `files/file/${older.id}/restoreversion?version=2`)).status).toBe(405);
  });

  it('saveediting saves new content over a file as a new version (someone edited it since)', async () => {
    const live = await replaceByOverwrite();
    const form = new FormData();
    form.append('File', new Blob([new Uint8Array(777)]), 'Q3 report.docx');
    form.append('FileExtension', '.docx');
    form.append('Forcesave', 'false');
    const r = await call('PUT', `files/file/${live.id}/saveediting`, { raw: form });
    expect(r.status).toBe(200);
    expect(r.json!.response).toMatchObject({
      id: live.id,
      version: 3,
      versionGroup: 3,
      pureContentLength: 777,
      comment: 'Edited',
    });
    const history = (await call('GET', `files/file/${live.id}/edit/history`)).json!.response as EditHistoryDto[];
    expect(history.map((h) => h.version)).toEqual([1, 2, 3]);

    const bare = await call('PUT', `files/file/${live.id}/saveediting`, {
      raw: new Uint8Array(5),
      headers: { 'Content-Type': 'application/octet-stream' },
    });
    expect(bare.json!.response).toMatchObject({ version: 4, pureContentLength: 5 });
    expect((await call('PUT', 'files/file/987654/saveediting', { raw: form })).status).toBe(404);
  });

  it('history routes: 403 in the trash, edit/history 404 for an unknown file, history 403', async () => {
    const trashed = server.state.trashOf('alice').find((n) => server.state.title(n) === 'Campaign brief.pdf')!;
    const inTrash = await call('GET', `files/file/${trashed.id}/edit/history`);
    expect(inTrash.status).toBe(403);
    expect(inTrash.json).toMatchObject({
      error: { message: "You don't have enough permission to view the file", type: 'System.InvalidOperationException' },
    });
    expect((await call('GET', 'files/file/987654/edit/history')).status).toBe(404);
    expect((await call('GET', 'files/file/987654/history')).status).toBe(403);
    const editTrashed = await call('PUT', `files/file/${trashed.id}/saveediting`, {
      raw: new Uint8Array(3),
      headers: { 'Content-Type': 'application/octet-stream' },
    });
    expect(editTrashed.status).toBe(403);
    expect(editTrashed.json).toMatchObject({
      error: { message: 'Access denied', type: 'System.Security.SecurityException' },
    });
  });
});
