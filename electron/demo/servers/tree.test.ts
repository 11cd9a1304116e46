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
