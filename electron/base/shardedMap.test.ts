import { describe, expect, it } from 'vitest';
import { ShardedMap } from './shardedMap';

describe('ShardedMap', () => {
  it('behaves as a Map for get, has, set, delete, size and values', () => {
    const m = new ShardedMap<number>();
    const plain = new Map<string, number>();
    const ids = [
      ...Array.from({ length: 3_000 }, (_, i) => `Projects.d1796605326/Asset ${i}.svg.d1796605326`),
      ...Array.from({ length: 2_000 }, (_, i) => `file:${1_000_000 + i}`),
      'a',
      '',
    ];
    ids.forEach((id, i) => {
      m.set(id, i);
      plain.set(id, i);
    });
    m.set('a', -1);
    plain.set('a', -1);
    for (const id of ids.slice(0, 500)) {
      expect(m.delete(id)).toBe(true);
      plain.delete(id);
    }
    expect(m.delete('never')).toBe(false);
    expect(m.size).toBe(plain.size);
    for (const id of ids) {
      expect(m.get(id)).toBe(plain.get(id));
      expect(m.has(id)).toBe(plain.has(id));
    }
    expect([...m.values()].sort((x, y) => x - y)).toEqual([...plain.values()].sort((x, y) => x - y));
  });
});
