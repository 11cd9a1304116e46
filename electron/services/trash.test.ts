import { describe, expect, it } from 'vitest';
import { AppError } from '../base/errors';
import type { TrashItem } from '../../shared/model';
import type { ProviderFactoryInput, TrashProvider } from '../providers/types';
import { createMemoryServices } from './index';

const unsupported = async (): Promise<never> => {
  throw new AppError('UNSUPPORTED', 'not in this test');
};

/**
 * A server whose trash listing is read in chunks of 100, each chunk held until `release` is
 * called (or at once when `gated` is false); counts the listings started; fails the first
 * listing when asked to.
 */
function slowServer(count: number, options: { gated?: boolean; failFirst?: boolean } = {}) {
  const state = { reads: 0, waiting: [] as (() => void)[] };
  const release = () => state.waiting.splice(0).forEach((go) => go());
  const make = ({ account }: ProviderFactoryInput): TrashProvider => ({
    kind: account.kind,
    parentOf: () => null,
    checkConnection: async () => ({ userName: 'Alice', userId: 'alice' }),
    async *listTrash() {
      state.reads++;
      const failing = options.failFirst && state.reads === 1;
      for (let i = 0; i < count; i += 100) {
        if (options.gated) await new Promise<void>((go) => state.waiting.push(go));
        if (failing && i >= count / 2) throw new AppError('NETWORK', 'The connection was lost.');
        const items: TrashItem[] = [];
        for (let j = i; j < Math.min(count, i + 100); j++) {
          const id = `f${j}.d1796605326`;
          items.push({
            key: `${account.id}:${id}`,
            accountId: account.id,
            id,
            name: `f${j}`,
            kind: 'file',
            size: 1,
            deletedAt: '2026-11-30T10:00:00.000Z',
            originalFolder: '/Documents',
            originalFolderId: '/Documents',
            expiresAt: null,
            mimeType: null,
            ext: '',
            deletedBy: null,
            parentId: null,
          });
        }
        yield { items };
      }
    },
    listFolders: unsupported,
    createFolder: unsupported,
    findConflicts: unsupported,
    restore: unsupported,
    remove: unsupported,
    empty: unsupported,
    undoRestore: unsupported,
  });
  return { make, state, release };
}

async function withAccount(server: ReturnType<typeof slowServer>) {
  const services = createMemoryServices({ makeProvider: server.make });
  const account = await services.accounts.add({
    serverUrl: 'https://cloud.example',
    kind: 'nextcloud',
    user: 'alice',
    secret: 'pw',
  });
  return { ...services, accountId: account.id };
}

/** Reads every page of a top-level listing the way the window does; `tick` runs before each page. */
async function readPages(
  services: Awaited<ReturnType<typeof withAccount>>,
  tick: () => void = () => undefined,
): Promise<number> {
  let n = 0;
  let cursor: string | null = null;
  do {
    tick();
    const page: Awaited<ReturnType<typeof services.trash.page>> = await services.trash.page(
      services.accountId,
      null,
      cursor,
    );
    n += page.items.length;
    cursor = page.cursor;
  } while (cursor);
  return n;
}

describe('TrashService.wholeTopLevel (a reader beside the window)', () => {
  it('shares the listing the window is reading instead of reading the trash a second time', async () => {
    const server = slowServer(1_000, { gated: true });
    const services = await withAccount(server);
    const window = readPages(services, server.release);
    await new Promise((r) => setImmediate(r)); // the window's listing has begun
    const beside = services.trash.wholeTopLevel(services.accountId);
    const pump = setInterval(server.release, 1);
    try {
      const [listed, whole] = await Promise.all([window, beside]);
      expect(listed).toBe(1_000);
      expect(whole.joined).toBe(true);
      expect(whole.items).toHaveLength(1_000);
      expect(new Set(whole.items.map((i) => i.id)).size).toBe(1_000);
      expect(server.state.reads).toBe(1);
    } finally {
      clearInterval(pump);
    }
  });

  it('reads the trash itself when nothing is being read, even right after a complete listing (it may lack deletions made since)', async () => {
    const server = slowServer(250);
    const services = await withAccount(server);
    expect(await readPages(services)).toBe(250);
    await new Promise((r) => setImmediate(r)); // the listing has ended (its last page is served a turn before)
    const whole = await services.trash.wholeTopLevel(services.accountId);
    expect(whole.joined).toBe(false);
    expect(whole.items).toHaveLength(250);
    expect(server.state.reads).toBe(2);
  });

  it('reads the trash itself after the listing it waited for failed half way', async () => {
    const server = slowServer(1_000, { gated: true, failFirst: true });
    const services = await withAccount(server);
    const window = readPages(services, server.release).catch((e: unknown) => e);
    await new Promise((r) => setImmediate(r));
    const beside = services.trash.wholeTopLevel(services.accountId);
    const pump = setInterval(server.release, 1);
    try {
      expect(await window).toMatchObject({ code: 'NETWORK' });
      const whole = await beside;
      expect(whole.joined).toBe(false);
      expect(whole.items).toHaveLength(1_000);
      expect(server.state.reads).toBe(2);
    } finally {
      clearInterval(pump);
    }
  });

  it("is what the watch's first check reads: the window's listing and the watch's first check cost the server one listing", async () => {
    const server = slowServer(1_000, { gated: true });
    const services = await withAccount(server);
    const window = readPages(services, server.release);
    await new Promise((r) => setImmediate(r));
    const check = services.watch.check(services.accountId);
    const pump = setInterval(server.release, 1);
    try {
      const [listed, result] = await Promise.all([window, check]);
      expect(listed).toBe(1_000);
      expect(result).toMatchObject({ change: 'first', read: 'listing' });
      expect(server.state.reads).toBe(1);
      // What it took in is the whole trash: its next check (this server has no cheap one: a listing) finds nothing new.
      expect(await services.watch.check(services.accountId)).toMatchObject({ read: 'listing', newItems: 0 });
      expect(server.state.reads).toBe(2);
    } finally {
      clearInterval(pump);
    }
  });
});

describe('TrashService.lastListing', () => {
  it('hands every caller the same array until an item leaves, then one without it', async () => {
    const services = await withAccount(slowServer(1_000));
    expect(await readPages(services)).toBe(1_000);
    const first = services.trash.lastListing(services.accountId)!;
    expect(first).toHaveLength(1_000);
    expect(services.trash.lastListing(services.accountId)).toBe(first);
    services.trash.forget(services.accountId, ['f3.d1796605326', 'f999.d1796605326', 'not-listed']);
    const after = services.trash.lastListing(services.accountId)!;
    expect(after).not.toBe(first);
    expect(after.map((i) => i.id)).toEqual(
      first.map((i) => i.id).filter((id) => id !== 'f3.d1796605326' && id !== 'f999.d1796605326'),
    );
    expect(first).toHaveLength(1_000); // what an earlier caller holds is not changed under it
    expect(services.trash.lastListing(services.accountId)).toBe(after);
    expect(services.trash.lastListing(services.accountId, Date.now() + 10 * 60_000)).toBeNull();
  });
});
