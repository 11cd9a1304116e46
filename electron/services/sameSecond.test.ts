import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWebDavServer, type WebDavServer } from '../demo/servers/webdav/server';
import { WEBDAV_USERS } from '../demo/servers/webdav/seed';
import type { OperationView, TrashItem } from '../../shared/model';
import { createMemoryServices } from './index';

/**
 * A restore the server put elsewhere than its records say the item belongs (Nextcloud: several
 * same-named files deleted in one second; it restores where the first was, the listing shows the
 * last): the batch says so, offers to move it (ops:moveToListed), and that move is checked, never
 * overwrites, and is undone like a restore.
 */

const alice = WEBDAV_USERS.alice;

describe('moving an item where it belongs after the server restored it elsewhere (Nextcloud)', () => {
  let server: WebDavServer;
  let services: ReturnType<typeof createMemoryServices>;
  let accountId: string;
  beforeAll(async () => {
    server = await startWebDavServer({ kind: 'nextcloud' });
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    server.control.reset();
    services = createMemoryServices();
    accountId = (
      await services.handlers['accounts:add']({
        serverUrl: server.url,
        kind: 'nextcloud',
        user: alice.id,
        secret: alice.appPassword,
      })
    ).id;
  });
  const run = async (op: Promise<OperationView> | OperationView) => services.runner.wait((await op).id);

  /** same.txt from Col/C in the trash, listed as from /Col/C; the server will restore it to /Col/A (its first row). */
  const collided = async () => {
    const tree = server.tree;
    tree.mkdirs(alice.id, 'Col/A');
    tree.mkdirs(alice.id, 'Col/C');
    const node = tree.writeFile(alice.id, 'Col/C/same.txt', 15);
    const entry = tree.trash(node.id);
    const items: TrashItem[] = await services.trash.readAll(accountId, null);
    const item = items.find((i) => i.name === 'same.txt')!;
    expect(item.originalFolder).toBe('/Col/C');
    entry.originalPath = 'Col/A/same.txt';
    return { item, node };
  };

  it('restores where the server puts it, then moves it where the list showed it; Undo trashes it from there', async () => {
    const { item, node } = await collided();
    const restored = await run(
      services.handlers['ops:restore']({
        items: [{ accountId, id: item.id }],
        destination: { kind: 'original' },
        resolutions: {},
      }),
    );
    expect(restored.results).toEqual([
      expect.objectContaining({ outcome: 'restored', finalPath: '/Col/A/same.txt', movableTo: '/Col/C/same.txt' }),
    ]);

    const moved = await run(services.handlers['ops:moveToListed']({ operationId: restored.id }));
    expect(moved.results).toEqual([expect.objectContaining({ outcome: 'restored', finalPath: '/Col/C/same.txt' })]);
    expect(server.tree.resolve(alice.id, 'Col/C/same.txt')?.id).toBe(node.id);
    expect(server.tree.resolve(alice.id, 'Col/A/same.txt')).toBeNull();
    // The restore's own Undo would act on a file that has moved: it is taken away; the move's Undo works.
    expect(services.runner.get(restored.id)).toMatchObject({ undoable: false });
    expect(moved.undoable).toBe(true);
    const undone = await run(services.handlers['ops:undo']({ operationId: moved.id }));
    expect(undone.results.map((r) => r.outcome)).toEqual(['trashed']);
    expect(server.tree.resolve(alice.id, 'Col/C/same.txt')).toBeNull();
  });

  it('never overwrites: a name taken where it belongs leaves the item where it is, and says so', async () => {
    const { item } = await collided();
    const restored = await run(
      services.handlers['ops:restore']({
        items: [{ accountId, id: item.id }],
        destination: { kind: 'original' },
        resolutions: {},
      }),
    );
    const other = server.tree.writeFile(alice.id, 'Col/C/same.txt', 99);
    const moved = await run(services.handlers['ops:moveToListed']({ operationId: restored.id }));
    expect(moved.results).toEqual([
      expect.objectContaining({
        outcome: 'kept',
        finalPath: '/Col/A/same.txt',
        error: expect.objectContaining({ code: 'CONFLICT' }),
      }),
    ]);
    expect(server.tree.resolve(alice.id, 'Col/C/same.txt')?.id).toBe(other.id);
    expect(server.tree.resolve(alice.id, 'Col/A/same.txt')).not.toBeNull();
  });

  it("trash:sameSecond tells the losses among an event's items from the activity records, and nothing where the server tells nothing", async () => {
    const tree = server.tree;
    tree.mkdirs(alice.id, 'Col/C');
    const entry = tree.trash(tree.writeFile(alice.id, 'Col/C/same.txt', 15).id);
    const item = (await services.trash.readAll(accountId, null)).find((i) => i.name === 'same.txt')!;
    // Without the activity app: nothing is guessed.
    server.frontEnd.activity.enabled = false;
    try {
      expect(
        await services.handlers['trash:sameSecond']({ accountId, from: item.deletedAt!, to: item.deletedAt! }),
      ).toEqual({ source: 'none', losses: [] });
    } finally {
      server.frontEnd.activity.enabled = true;
    }
    const activity = {
      ocs: {
        data: [
          {
            type: 'file_deleted',
            objects: { [String(entry.nodeId)]: '/Col/C/same.txt', '900002': '/Col/A/same.txt' },
            datetime: new Date(entry.deletedAt).toISOString(),
          },
        ],
      },
    };
    server.control.fault({
      method: 'GET',
      path: '/apps/activity/api/v2/activity/files',
      status: 200,
      body: JSON.stringify(activity),
      headers: { 'Content-Type': 'application/json' },
      times: Infinity,
    });
    // The event's range, as the window asks: the entry deleted in it is found in the listing main holds.
    expect(
      await services.handlers['trash:sameSecond']({ accountId, from: item.deletedAt!, to: item.deletedAt! }),
    ).toEqual({
      source: 'activity',
      losses: [
        expect.objectContaining({ itemKey: item.key, lost: ['/Col/A/same.txt'], keptFrom: '/Col/C', complete: true }),
      ],
    });
    // A range that ends before the entry was deleted holds no entry, so nothing is said lost.
    const before = new Date(Date.parse(item.deletedAt!) - 60_000).toISOString();
    expect(await services.handlers['trash:sameSecond']({ accountId, from: before, to: before })).toMatchObject({
      losses: [],
    });
  });

  it('refuses a batch with nothing away from where it belongs', async () => {
    server.tree.mkdirs(alice.id, 'Plain');
    server.tree.trash(server.tree.writeFile(alice.id, 'Plain/one.txt', 5).id);
    const item = (await services.trash.readAll(accountId, null)).find((i) => i.name === 'one.txt')!;
    const restored = await run(
      services.handlers['ops:restore']({
        items: [{ accountId, id: item.id }],
        destination: { kind: 'original' },
        resolutions: {},
      }),
    );
    expect(restored.results[0]).toMatchObject({ outcome: 'restored', finalPath: '/Plain/one.txt' });
    expect(restored.results[0]!.movableTo).toBeUndefined();
    await expect(services.handlers['ops:moveToListed']({ operationId: restored.id })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});
