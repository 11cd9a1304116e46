import { describe, expect, it } from 'vitest';
import { keys } from './keys';

/** Invalidation works by prefix: each narrower key starts with the broader one it is invalidated by. */
const startsWith = (key: readonly unknown[], prefix: readonly unknown[]) => prefix.every((part, i) => key[i] === part);

describe('query keys', () => {
  it('nests each listing under its prefix', () => {
    expect(startsWith(keys.trash('a'), keys.trashAll())).toBe(true);
    expect(startsWith(keys.folders('a', null), keys.foldersOf('a'))).toBe(true);
    expect(startsWith(keys.folders('a', '/x'), keys.foldersOf('a'))).toBe(true);
  });

  it('keeps accounts apart', () => {
    expect(startsWith(keys.trash('ab'), keys.trash('a'))).toBe(false);
    expect(startsWith(keys.folders('b', null), keys.foldersOf('a'))).toBe(false);
  });

  it('writes the root of the files tree as the empty id', () => {
    expect(keys.folders('a', null)).toEqual(['folders', 'a', '']);
  });
});
