import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDocSpaceServer, TEST_KEYS, type DocSpaceServer } from './index';

let server: DocSpaceServer;
beforeEach(async () => {
  server = await startDocSpaceServer({ opItemMs: 2 });
});
afterEach(async () => {
  await server.close();
});

/** Loosely typed answers: the assertions check the shapes. */
interface Entry {
  id: number | string;
  title?: string;
  finished?: boolean;
  [key: string]: unknown;
}
interface Envelope {
  response: Entry[] & { files: Entry[]; folders: Entry[] } & Record<string, unknown>;
  [key: string]: unknown;
}

async function call(method: string, path: string, body?: unknown, key: string = TEST_KEYS.alice) {
  const res = await fetch(`${server.url}/api/2.0/${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, text, json: text ? (JSON.parse(text) as Envelope) : null, headers: res.headers };
}

const trashed = (title: string) => server.state.trashOf('alice').find((n) => server.state.title(n) === title)!;

/** Polls GET fileops?id= until the operation is no longer listed; answers every listing seen. */
async function pollUntilGone(id: unknown) {
  const seen: Entry[][] = [];
  for (let i = 0; i < 500; i++) {
    const r = await call('GET', `files/fileops?id=${id}`);
    seen.push(r.json!.response);
    if (r.json!.response.length === 0) return seen;
    await new Promise((res) => setTimeout(res, 5));
  }
  throw new Error('operation never went away');
}

describe('DocSpace test server', () => {
  it('wraps answers in the success envelope and omits null fields', async () => {
    const r = await call('GET', 'files/@trash?count=100');
    expect(r.json).toMatchObject({ count: 1, status: 0, statusCode: 200, links: [{ action: 'GET' }] });
    const content = r.json!.response;
    expect(content).toMatchObject({
      startIndex: 0,
      total: 4,
      current: { id: server.state.user('alice').trashId, rootFolderType: 3 },
    });
    expect(content.folders[0]).toMatchObject({ title: 'Old project', fileEntryType: 1 });
    const file = content.files.find((f) => f.title === 'Q3 report.docx');
    expect(file).toMatchObject({
      fileEntryType: 2,
      fileExst: '.docx',
      pureContentLength: 12288,
      rootFolderType: 3,
      originTitle: 'Reports',
    });
    expect(file).not.toHaveProperty('originRoomId');
    expect(JSON.stringify(content)).not.toContain('null');
  });

  it('rejects pages over 100 entries as a validation error', async () => {
    const r = await call('GET', 'files/@trash?count=500');
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ status: 1, statusCode: 400, response: { errors: { Count: [expect.any(String)] } } });
  });

  it('answers 401 without a known key and a bare 403 for a missing scope', async () => {
    expect((await call('GET', 'people/@self', undefined, 'sk-unknown')).status).toBe(401);
    const denied = await call('PUT', 'files/fileops/delete', { fileIds: [1] }, TEST_KEYS.aliceReadOnly);
    expect(denied.status).toBe(403);
    expect(denied.text).toBe('');
    expect((await call('GET', 'files/@trash', undefined, TEST_KEYS.aliceReadOnly)).status).toBe(200);
  });

  it('answers errors in the error envelope', async () => {
    const r = await call('GET', 'files/folder/987654');
    expect(r.status).toBe(404);
    expect(r.json).toMatchObject({ status: 1, statusCode: 404, error: { message: expect.any(String) } });
  });

  it('reports a held operation finished exactly once, then forgets it', async () => {
    const id = trashed('Q3 report.docx').id;
    const start = await call('PUT', 'files/fileops/delete', {
      fileIds: [id],
      deleteAfter: false,
      immediately: true,
      returnSingleOperation: true,
    });
    expect(start.json!.response).toHaveLength(1);
    const op = start.json!.response[0]!;
    expect(op).toMatchObject({ Operation: 2, finished: false });
    const seen = await pollUntilGone(op.id);
    const finished = seen.flat().filter((o) => o.finished);
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ progress: 100, processed: '1' });
  });

  it('never shows a finished operation that was not held (deleteAfter: true)', async () => {
    const id = trashed('Q3 report.docx').id;
    const start = await call('PUT', 'files/fileops/delete', {
      fileIds: [id],
      deleteAfter: true,
      immediately: true,
      returnSingleOperation: true,
    });
    const seen = await pollUntilGone(start.json!.response[0]!.id);
    expect(seen.flat().some((o) => o.finished)).toBe(false);
    expect(server.state.trashOf('alice').some((n) => n.id === id)).toBe(false);
  });

  it('skips a conflicting file by default, silently', async () => {
    const reports = server.state.folderAt('alice', 'Reports')!;
    server.state.addFile(reports.id, 'Q3 report.docx', 1);
    const id = trashed('Q3 report.docx').id;
    const check = await call('GET', `files/fileops/move?destFolderId=${reports.id}&fileIds=${id}`);
    expect(check.json!.response.map((e) => e.id)).toEqual([id]);
    const start = await call('PUT', 'files/fileops/move', {
      fileIds: [id],
      destFolderId: reports.id,
      deleteAfter: false,
      returnSingleOperation: true,
    });
    const seen = await pollUntilGone(start.json!.response[0]!.id);
    const last = seen.flat().find((o) => o.finished)!;
    expect(last).not.toHaveProperty('error');
    expect(server.state.trashOf('alice').some((n) => n.id === id)).toBe(true);
  });

  it('stops an operation on terminate and leaves the rest in the trash', async () => {
    server.state.opItemMs = 30;
    server.control.seed('alice', 20, { prefix: 't-' });
    const ids = server.state
      .trashOf('alice')
      .filter((n) => n.name.startsWith('t-'))
      .map((n) => n.id);
    const start = await call('PUT', 'files/fileops/delete', {
      fileIds: ids,
      deleteAfter: false,
      immediately: true,
      returnSingleOperation: true,
    });
    const opId = start.json!.response[0]!.id;
    await new Promise((r) => setTimeout(r, 70));
    const stopped = await call('PUT', `files/fileops/terminate/${opId}`);
    expect(stopped.json!.response.some((o) => o.id === opId)).toBe(false);
    const left = server.state.trashOf('alice').filter((n) => n.name.startsWith('t-')).length;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(20);
    expect((await call('GET', `files/fileops?id=${opId}`)).json!.response).toEqual([]);
  });

  it('moves the contents instead of the folder when content is true', async () => {
    const folder = trashed('Old project');
    const photos = server.state.folderAt('alice', 'Photos')!;
    const start = await call('PUT', 'files/fileops/move', {
      folderIds: [folder.id],
      destFolderId: photos.id,
      content: true,
      deleteAfter: false,
      returnSingleOperation: true,
    });
    await pollUntilGone(start.json!.response[0]!.id);
    expect(
      server.state
        .childrenOf(photos.id)
        .map((n) => server.state.title(n))
        .sort(),
    ).toEqual(['assets', 'notes.txt', 'plan.md']);
  });

  it('seeds 100k trash items through the control API and pages them', async () => {
    const res = await fetch(`${server.url}/__control/seed`, {
      method: 'POST',
      body: JSON.stringify({ user: 'alice', count: 100_000 }),
    });
    expect(await res.json()).toEqual({ count: 100_000 });
    const last = await call('GET', 'files/@trash?count=100&startIndex=99950');
    expect(last.json!.response).toMatchObject({ total: 100_004, count: 54 });
  });
});
