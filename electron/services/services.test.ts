import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../base/errors';
import type { TrashItem } from '../../shared/model';
import type { BatchContext, ProviderFactoryInput, TrashProvider } from '../providers/types';
import { FileOperationJournal, type OperationJournal } from '../operations/journal';
import { createServices } from './index';
import { MemoryAccountStore, MemorySecretStore } from './stores';

/** A provider over an in-memory list, enough to test the services' own logic. */
function fakeProvider(
  count: number,
  state = { authOk: true, secrets: [] as string[], reads: 0, emptiedWith: null as number | null },
) {
  const trash = new Map<string, TrashItem>();
  for (let i = 0; i < count; i++) {
    const id = String(i);
    trash.set(id, {
      key: `acc:${id}`,
      accountId: '',
      id,
      name: `file-${i}.txt`,
      kind: 'file',
      size: 100,
      deletedAt: '2026-11-01T10:00:00.000Z',
      originalFolder: '/Documents',
      originalFolderId: '/Documents',
      expiresAt: null,
      mimeType: 'text/plain',
      ext: 'txt',
      deletedBy: null,
      parentId: null,
    });
  }
  const make = ({ account, credentials }: ProviderFactoryInput): TrashProvider => {
    state.secrets.push(credentials.secret);
    const check = () => {
      if (!state.authOk || credentials.secret !== 'right') throw new AppError('AUTH_FAILED', 'Sign in again.');
    };
    const remove = async (items: TrashItem[], ctx: BatchContext) => {
      for (const item of items) {
        trash.delete(item.id);
        ctx.itemDone({ key: item.key, name: item.name, outcome: 'deleted', finalPath: null, error: null });
      }
    };
    return {
      kind: account.kind,
      parentOf: () => null,
      async checkConnection() {
        check();
        return { userName: 'Alice A.', userId: 'alice' };
      },
      async *listTrash() {
        check();
        state.reads++;
        const all = [...trash.values()].map((i) => ({ ...i, accountId: account.id, key: `${account.id}:${i.id}` }));
        for (let i = 0; i < all.length; i += 700) yield { items: all.slice(i, i + 700) };
      },
      async listFolders() {
        throw new AppError('UNSUPPORTED', 'n/a');
      },
      async createFolder() {
        throw new AppError('UNSUPPORTED', 'n/a');
      },
      async findConflicts() {
        return { conflicts: [], missingFolders: [] };
      },
      async restore(items, _target, _options, ctx) {
        for (const item of items) {
          trash.delete(item.id);
          ctx.itemDone(
            { key: item.key, name: item.name, outcome: 'restored', finalPath: `/Documents/${item.name}`, error: null },
            {
              landed: {
                ref: `/Documents/${item.name}`,
                name: item.name,
                kind: 'file',
                fileId: item.id,
                etag: null,
                size: null,
                modifiedAt: null,
                version: null,
                replaced: null,
              },
            },
          );
        }
      },
      remove,
      async empty(ctx, listed) {
        state.emptiedWith = listed?.length ?? null;
        await remove(
          [...trash.values()].map((i) => ({ ...i, key: `${account.id}:${i.id}` })),
          ctx,
        );
      },
      async undoRestore(targets, ctx) {
        for (const t of targets)
          ctx.itemDone({ key: t.key, name: t.name, outcome: 'trashed', finalPath: null, error: null });
      },
    };
  };
  return { make, trash, state };
}

function setup(
  count: number,
  options: { journal?: OperationJournal; accounts?: MemoryAccountStore; secrets?: MemorySecretStore } = {},
) {
  const fake = fakeProvider(count);
  const services = createServices({
    host: 'browser',
    version: '0.0.0-test',
    platform: 'linux',
    accounts: options.accounts ?? new MemoryAccountStore(),
    secrets: options.secrets ?? new MemorySecretStore(),
    journal: options.journal ?? null,
    demo: null,
    makeProvider: fake.make,
  });
  return { ...services, fake };
}

describe('services', () => {
  it('adds an account after checking its credentials, and never returns the secret', async () => {
    const { handlers, fake } = setup(0);
    await expect(
      handlers['accounts:add']({ serverUrl: 'cloud.example.com/', kind: 'nextcloud', user: 'alice', secret: 'wrong' }),
    ).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    const view = await handlers['accounts:add']({
      serverUrl: 'cloud.example.com/',
      kind: 'nextcloud',
      user: 'alice',
      secret: 'right',
    });
    expect(view).toMatchObject({
      serverUrl: 'https://cloud.example.com',
      userName: 'Alice A.',
      status: 'ok',
      insecureHttp: false,
    });
    expect(JSON.stringify(await handlers['accounts:list']({}))).not.toContain('right');
    expect(fake.state.secrets).toContain('right');
  });

  it('serves a long listing in pages of at most 1,000 with a cursor, and a total at the end', async () => {
    const { handlers } = setup(2_500);
    const account = await handlers['accounts:add']({
      serverUrl: 'https://c.example',
      kind: 'nextcloud',
      user: 'alice',
      secret: 'right',
    });
    const sizes: number[] = [];
    let cursor: string | null = null;
    let total: number | null;
    const ids = new Set<string>();
    do {
      const page: Awaited<ReturnType<(typeof handlers)['trash:list']>> = await handlers['trash:list']({
        accountId: account.id,
        parentId: null,
        cursor,
      });
      sizes.push(page.items.length);
      page.items.forEach((i) => ids.add(i.id));
      cursor = page.cursor;
      total = page.total;
    } while (cursor);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1000);
    expect(ids.size).toBe(2_500);
    expect(total).toBe(2_500);
  });

  it('restores through the runner, and undo moves the same items back', async () => {
    const { handlers, runner, fake } = setup(5);
    const account = await handlers['accounts:add']({
      serverUrl: 'https://c.example',
      kind: 'owncloud10',
      user: 'alice',
      secret: 'right',
    });
    const op = await handlers['ops:restore']({
      items: [
        { accountId: account.id, id: '1' },
        { accountId: account.id, id: '3' },
        { accountId: account.id, id: 'nope' },
      ],
      destination: { kind: 'original' },
      resolutions: {},
    });
    const done = await runner.wait(op.id);
    expect(done.results.map((r) => [r.key.split(':')[1], r.outcome])).toEqual([
      ['nope', 'failed'],
      ['1', 'restored'],
      ['3', 'restored'],
    ]);
    expect(done.results[0]?.error?.code).toBe('NOT_FOUND');
    expect(fake.trash.has('1')).toBe(false);
    expect(done.undoable).toBe(true);
    const undo = await handlers['ops:undo']({ operationId: op.id });
    const undone = await runner.wait(undo.id);
    expect(undone.results.map((r) => r.outcome)).toEqual(['trashed', 'trashed']);
  });

  it('resumes a batch that was cut short: next launch says what was done, and Resume does only the rest', async () => {
    const accounts = new MemoryAccountStore();
    const secrets = new MemorySecretStore();
    const dir = mkdtempSync(join(tmpdir(), 'salvage-resume-'));
    const first = setup(5, { journal: new FileOperationJournal(dir), accounts, secrets });
    const account = await first.handlers['accounts:add']({
      serverUrl: 'https://c.example',
      kind: 'owncloud10',
      user: 'alice',
      secret: 'right',
    });
    // The first two items go back, then Salvage "dies" in the middle (the restore never returns).
    const fakeRestore = first.fake.make({
      account: accounts.list()[0]!,
      credentials: { user: 'alice', secret: 'right' },
    }).restore;
    let restoredSoFar = 0;
    first.accounts.withProvider = (async (_id: string, fn: (p: TrashProvider) => unknown) =>
      fn({
        ...first.fake.make({ account: accounts.list()[0]!, credentials: { user: 'alice', secret: 'right' } }),
        restore: async (items, target, options, ctx) => {
          await fakeRestore(items.slice(0, 2), target, options, ctx);
          restoredSoFar = 2;
          await new Promise(() => {});
        },
      })) as typeof first.accounts.withProvider;
    const refs = ['0', '1', '2', '3', '4'].map((id) => ({ accountId: account.id, id }));
    const op = await first.handlers['ops:restore']({ items: refs, destination: { kind: 'original' }, resolutions: {} });
    await expect.poll(() => restoredSoFar).toBe(2);
    await new Promise((r) => setTimeout(r, 2_300)); // the journal is written every couple of seconds while a batch runs
    const crashed = mkdtempSync(join(tmpdir(), 'salvage-resume-after-'));
    cpSync(dir, crashed, { recursive: true });

    // Next launch: the server kept what was done (items 0 and 1 are out of the trash).
    const next = setup(5, { journal: new FileOperationJournal(crashed), accounts, secrets });
    next.fake.trash.delete('0');
    next.fake.trash.delete('1');
    const [interrupted] = await next.handlers['ops:list']({});
    expect(interrupted).toMatchObject({ id: op.id, state: 'failed', error: { code: 'INTERRUPTED' } });
    expect(interrupted!.results.map((r) => [r.name, r.outcome])).toEqual([
      ['file-0.txt', 'restored'],
      ['file-1.txt', 'restored'],
    ]);
    expect(interrupted!.error!.message).toContain('2 of 5 items had a result');
    const resumed = await next.runner.wait((await next.handlers['ops:retryFailed']({ operationId: op.id })).id);
    expect(resumed.results.map((r) => [r.name, r.outcome])).toEqual([
      ['file-2.txt', 'restored'],
      ['file-3.txt', 'restored'],
      ['file-4.txt', 'restored'],
    ]);
    expect([...next.fake.trash.keys()]).toEqual([]);
  });

  it('refuses to restore items into a folder of another account', async () => {
    const { handlers } = setup(2);
    const account = await handlers['accounts:add']({
      serverUrl: 'https://c.example',
      kind: 'owncloud10',
      user: 'alice',
      secret: 'right',
    });
    await expect(
      handlers['ops:restore']({
        items: [{ accountId: account.id, id: '1' }],
        destination: { kind: 'folder', accountId: 'someone-else', folderId: '/x' },
        resolutions: {},
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('marks an account whose credentials stopped working, and reauth brings it back', async () => {
    const { handlers, fake, bus } = setup(3);
    const account = await handlers['accounts:add']({
      serverUrl: 'https://c.example',
      kind: 'nextcloud',
      user: 'alice',
      secret: 'right',
    });
    const changes: string[] = [];
    bus.subscribe((name, payload) => {
      if (name === 'accounts:changed') changes.push((payload as { status: string }[])[0]!.status);
    });
    fake.state.authOk = false;
    await expect(handlers['trash:list']({ accountId: account.id, parentId: null, cursor: null })).rejects.toMatchObject(
      {
        code: 'AUTH_FAILED',
      },
    );
    expect((await handlers['accounts:list']({}))[0]?.status).toBe('auth-expired');
    expect(changes).toContain('auth-expired');
    fake.state.authOk = true;
    await handlers['accounts:reauth']({ accountId: account.id, secret: 'right' });
    expect((await handlers['accounts:list']({}))[0]?.status).toBe('ok');
  });

  it('empties the trash as one operation with one result per item', async () => {
    const { handlers, runner, fake } = setup(4);
    const account = await handlers['accounts:add']({
      serverUrl: 'https://c.example',
      kind: 'nextcloud',
      user: 'alice',
      secret: 'right',
    });
    const op = await handlers['ops:empty']({ accountId: account.id });
    expect(op.total).toBe(4);
    const done = await runner.wait(op.id);
    expect(done.results.filter((r) => r.outcome === 'deleted')).toHaveLength(4);
    expect(fake.trash.size).toBe(0);
  });

  it('empties with the listing the window has just read to the end: the trash is not read again, and each item of that listing gets its result', async () => {
    const { handlers, runner, fake } = setup(1500);
    const account = await handlers['accounts:add']({
      serverUrl: 'https://c.example',
      kind: 'nextcloud',
      user: 'alice',
      secret: 'right',
    });
    let cursor: string | null = null;
    do cursor = (await handlers['trash:list']({ accountId: account.id, parentId: null, cursor })).cursor;
    while (cursor !== null);
    // One of them restored in between: it is not in the trash any more and gets no result.
    const restore = await handlers['ops:restore']({
      items: [{ accountId: account.id, id: '7' }],
      destination: { kind: 'original' },
      resolutions: {},
      recreateMissingFolders: false,
    });
    await runner.wait(restore.id);
    const reads = fake.state.reads;
    const op = await handlers['ops:empty']({ accountId: account.id });
    expect(op.total).toBe(1499);
    const done = await runner.wait(op.id);
    expect(fake.state.reads).toBe(reads);
    expect(fake.state.emptiedWith).toBe(1499);
    expect(done.results.filter((r) => r.outcome === 'deleted')).toHaveLength(1499);
    // With no listing at hand (a new session), it reads the trash once itself.
    const again = setup(3);
    const other = await again.handlers['accounts:add']({
      serverUrl: 'https://c.example',
      kind: 'nextcloud',
      user: 'alice',
      secret: 'right',
    });
    const first = await again.handlers['ops:empty']({ accountId: other.id });
    await again.runner.wait(first.id);
    expect(again.fake.state.reads).toBe(1);
    expect(again.fake.state.emptiedWith).toBe(3);
  });
});
