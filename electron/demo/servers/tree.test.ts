import { describe, expect, it } from 'vitest';
import { FileTree, TreeError } from './tree';

describe('FileTree', () => {
  const setup = () => {
    const tree = new FileTree();
    tree.addUser('alice', { password: 'pw', displayName: 'Alice A.', appPasswords: ['app-1'] });
    tree.addUser('bob', { password: 'pw2' });
    tree.mkdir('alice', 'Docs');
    tree.writeFile('alice', 'Docs/a.txt', 10);
    tree.writeFile('alice', 'Docs/Sub/b.pdf', 20, { parents: true });
    return tree;
  };

  it('keeps ids stable across trash and restore, and remembers the original path', () => {
    const tree = setup();
    const a = tree.resolve('alice', 'Docs/a.txt')!;
    const entry = tree.trash(a.id, { deletedBy: 'bob', at: 1_000_000 });
    expect(entry).toMatchObject({ id: a.id, originalPath: 'Docs/a.txt', deletedBy: 'bob', deletedAt: 1_000_000 });
    expect(tree.resolve('alice', 'Docs/a.txt')).toBeNull();
    expect(tree.trashOf('alice').map((e) => e.id)).toEqual([a.id]);
    const back = tree.untrash(a.id, tree.resolve('alice', 'Docs')!.id, 'a.txt');
    expect(back.id).toBe(a.id);
    expect(tree.trashOf('alice')).toEqual([]);
    expect(tree.pathOf(a.id)).toBe('Docs/a.txt');
  });

  it('finds a trash entry by name and deletion second (Nextcloud, ownCloud 10 paths) while it is in the trash, oldest first', () => {
    const tree = setup();
    const a = tree.resolve('alice', 'Docs/a.txt')!;
    tree.trash(a.id, { at: 5_000_400 });
    const again = tree.writeFile('alice', 'Docs/a.txt', 11);
    tree.trash(again.id, { at: 5_000_900 }); // same second; without same-second collisions both stay
    tree.trash(tree.writeFile('alice', 'a.txt', 12).id, { at: 6_000_000 });
    expect(tree.trashEntryNamed('alice', 5_000, 'a.txt')?.id).toBe(a.id);
    expect(tree.trashEntryNamed('alice', 6_000, 'a.txt')?.originalPath).toBe('a.txt');
    expect(tree.trashEntryNamed('bob', 5_000, 'a.txt')).toBeNull();
    expect(tree.trashEntryNamed('alice', 5_001, 'a.txt')).toBeNull();
    tree.untrash(a.id, tree.resolve('alice', 'Docs')!.id, 'a.txt');
    expect(tree.trashEntryNamed('alice', 5_000, 'a.txt')?.id).toBe(again.id);
    tree.purge('alice', again.id);
    expect(tree.trashEntryNamed('alice', 5_000, 'a.txt')).toBeNull();
    expect(tree.emptyTrash('alice')).toBe(1);
    expect(tree.trashEntryNamed('alice', 6_000, 'a.txt')).toBeNull();
    tree.seedTrash('alice', 2, { prefix: 'seed-', endAt: 10_000_000 });
    expect(tree.trashEntryNamed('alice', 9_998, 'seed-0.txt')).not.toBeNull();
    tree.reset();
    expect(tree.entries.size).toBe(0);
    tree.addUser('alice', { password: 'pw' });
    expect(tree.trashEntryNamed('alice', 9_998, 'seed-0.txt')).toBeNull();
  });

  it('with same-second collisions (Nextcloud, ownCloud 10), a second trash of one name in one second replaces the first', () => {
    const tree = setup();
    tree.sameSecondCollisions = true;
    const a = tree.resolve('alice', 'Docs/a.txt')!;
    tree.trash(a.id, { at: 7_000_100 });
    const b = tree.writeFile('alice', 'a.txt', 13);
    const entry = tree.trash(b.id, { at: 7_000_700 });
    expect(tree.trashOf('alice').map((e) => e.id)).toEqual([b.id]);
    expect(entry.rows).toEqual(['Docs/a.txt', 'a.txt']);
    expect(tree.trashEntryNamed('alice', 7_000, 'a.txt')?.id).toBe(b.id);
  });

  it('browses and takes single nodes out of a trashed folder', () => {
    const tree = setup();
    const docs = tree.resolve('alice', 'Docs')!;
    const entry = tree.trash(docs.id);
    expect(tree.sizeOf(docs.id)).toBe(30);
    const b = tree.resolveInEntry(entry, 'Sub/b.pdf')!;
    expect(b.trashEntry).toBe(entry.id);
    tree.untrash(b.id, tree.user('alice').rootId, 'b.pdf');
    expect(tree.resolve('alice', 'b.pdf')?.trashEntry).toBeNull();
    expect(tree.trashOf('alice')).toHaveLength(1);
    expect(tree.sizeOf(docs.id)).toBe(10);
  });

  it('finds free names the way Nextcloud renames restores', () => {
    const tree = setup();
    const docs = tree.resolve('alice', 'Docs')!;
    expect(tree.freeName(docs.id, 'a.txt')).toBe('a (restored).txt');
    tree.writeFile('alice', 'Docs/a (restored).txt', 1);
    expect(tree.freeName(docs.id, 'a.txt')).toBe('a (restored 2).txt');
    expect(tree.freeName(docs.id, 'Sub')).toBe('Sub (restored)');
    expect(tree.freeName(docs.id, 'free.txt')).toBe('free.txt');
  });

  it('refuses taken names, missing parents and dot segments', () => {
    const tree = setup();
    expect(() => tree.mkdir('alice', 'Docs')).toThrow(TreeError);
    expect(() => tree.writeFile('alice', 'Nope/x.txt', 1)).toThrow(/No folder/);
    expect(() => tree.resolve('alice', 'Docs/../etc')).toThrow(/Invalid path/);
  });

  it('authenticates with the password or an app password only', () => {
    const tree = setup();
    expect(tree.authenticate('alice', 'app-1')?.id).toBe('alice');
    expect(tree.authenticate('alice', 'pw')?.id).toBe('alice');
    expect(tree.authenticate('alice', 'pw2')).toBeNull();
    expect(tree.authenticate('carol', 'pw')).toBeNull();
  });

  it('seeds and empties 100k trash entries', () => {
    const tree = setup();
    tree.seedTrash('alice', 100_000, { folder: 'Bulk' });
    expect(tree.trashOf('alice')).toHaveLength(100_000);
    expect(tree.trashOf('alice')[5]!.originalPath).toBe('Bulk/file-5.txt');
    expect(tree.emptyTrash('alice')).toBe(100_000);
    expect(tree.entries.size).toBe(0);
  });
});
