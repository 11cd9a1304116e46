import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDocSpaceServer, TEST_KEYS } from '../demo/servers/docspace/index';
import { startWebDavServer } from '../demo/servers/webdav/server';
import { WEBDAV_USERS } from '../demo/servers/webdav/seed';
import type { Control, PastStep } from '../demo/servers/control';
import type { FileTree } from '../demo/servers/tree';
import { detectEvents } from '../../shared/events';
import type { AccountKind } from '../../shared/model';
import { createMemoryServices } from './index';

/**
 * "Restore this event" as the window runs it (ops:checkConflicts, ops:restore with the event's
 * items, ops:undo) on every server kind: a folder trashed whole after files were deleted one by
 * one from inside it comes back first, the pre-check reports no missing folder for what the batch
 * brings back, and the one Undo puts every item back in the trash on its own.
 */
interface Target {
  kind: AccountKind;
  url: string;
  user: string;
  secret: string;
  tree: FileTree;
  control: Control;
  close(): Promise<void>;
}

const starters: (() => Promise<Target>)[] = [
  ...(['nextcloud', 'owncloud10', 'ocis'] as const).map((kind) => async (): Promise<Target> => {
    const s = await startWebDavServer({ kind });
    return {
      kind,
      url: s.url,
      user: 'alice',
      secret: WEBDAV_USERS.alice.appPassword,
      tree: s.tree,
      control: s.control,
      close: () => s.close(),
    };
  }),
  async (): Promise<Target> => {
    const s = await startDocSpaceServer({ opItemMs: 1 });
    return {
      kind: 'docspace',
      url: s.url,
      user: '',
      secret: TEST_KEYS.alice,
      tree: s.state.tree,
      control: s.control,
      close: () => s.close(),
    };
  },
];

for (const start of starters) {
  describe('restoring a deletion event', () => {
    let t: Target;
    beforeAll(async () => void (t = await start()));
    afterAll(() => t?.close());

    it('rebuilds the tree in one batch, and one Undo takes it all back', async () => {
      // Six days before the seed's earliest deletion, whatever the clock reads.
      const at = Math.min(...t.tree.trashOf('alice').map((e) => e.deletedAt)) - 6 * 86_400_000;
      const base = 'Work/Client Y';
      const files = (folder: string, n: number) =>
        Array.from({ length: n }, (_, i) => `${base}/${folder}/file ${i}.txt`);
      const deep = files('A/B/C', 12);
      const mid = files('A/B', 12);
      const top = files('A', 12);
      t.control.history(
        'alice',
        [...deep, ...mid, ...top].map((path): PastStep => ({ op: 'create', path, at: at - 86_400_000 })),
      );
      const ids = new Map(['A', 'A/B', 'A/B/C'].map((f) => [f, t.tree.resolve('alice', `${base}/${f}`)!.id]));
      // C whole; B's files one by one; then A whole (with its own files and B, now empty but for nothing).
      const steps = [`${base}/A/B/C`, ...mid, `${base}/A`];
      t.control.history(
        'alice',
        steps.map((path, i): PastStep => ({ op: 'trash', path, at: at + i * 2000 })),
      );
      const trashBefore = t.tree.user('alice').trash.size;

      const services = createMemoryServices();
      const account = await services.handlers['accounts:add']({
        serverUrl: t.url,
        kind: t.kind,
        user: t.user,
        secret: t.secret,
      });
      const items = await services.trash.readAll(account.id, null);
      const event = detectEvents(items).find((e) => e.count === 14);
      expect(event, `${t.kind}: the event`).toBeDefined();
      const refs = event!.keys.map((k) => ({ accountId: account.id, id: items.find((i) => i.key === k)!.id }));

      const check = await services.handlers['ops:checkConflicts']({ items: refs, destination: { kind: 'original' } });
      expect(check, t.kind).toEqual({ conflicts: [], missingFolders: [] });
      const op = await services.handlers['ops:restore']({
        items: refs,
        destination: { kind: 'original' },
        resolutions: {},
      });
      const done = await services.runner.wait(op.id);
      expect(
        done.results.filter((r) => r.outcome !== 'restored'),
        t.kind,
      ).toEqual([]);
      for (const f of [...deep, ...mid, ...top]) expect(t.tree.resolve('alice', f), f).not.toBeNull();
      for (const [f, id] of ids) expect(t.tree.resolve('alice', `${base}/${f}`)?.id, f).toBe(id);
      expect(t.tree.user('alice').trash.size).toBe(trashBefore - 14);

      expect(done.undoable).toBe(true);
      const undo = await services.runner.wait((await services.handlers['ops:undo']({ operationId: op.id })).id);
      expect(
        undo.results.filter((r) => r.outcome !== 'trashed'),
        t.kind,
      ).toEqual([]);
      expect(undo.results).toHaveLength(14);
      expect(t.tree.resolve('alice', `${base}/A`)).toBeNull();
      expect(t.tree.user('alice').trash.size).toBe(trashBefore);
    }, 60_000);
  });
}
