/**
 * A Map from strings, split over SHARDS smaller Maps by a hash of the key's tail. A Map grows by
 * rehashing all its entries at once: at 262,144 entries that one `set` holds the event loop for
 * ~150 ms on a busy machine, at 1M far longer. Split 64 ways, the largest rehash of a million-item
 * trash moves ~16k entries. Iteration visits shard after shard (insertion order within each).
 */
const SHARDS = 64;
/** Characters from the key's end that pick its shard: the varying part of trash ids (name, time, number, uuid). */
const TAIL = 24;

function shardOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = Math.max(0, key.length - TAIL); i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % SHARDS;
}

export class ShardedMap<V> {
  private readonly shards: Map<string, V>[] = Array.from({ length: SHARDS }, () => new Map<string, V>());

  get size(): number {
    let n = 0;
    for (const shard of this.shards) n += shard.size;
    return n;
  }

  get(key: string): V | undefined {
    return this.shards[shardOf(key)]!.get(key);
  }

  has(key: string): boolean {
    return this.shards[shardOf(key)]!.has(key);
  }

  set(key: string, value: V): this {
    this.shards[shardOf(key)]!.set(key, value);
    return this;
  }

  delete(key: string): boolean {
    return this.shards[shardOf(key)]!.delete(key);
  }

  *values(): IterableIterator<V> {
    for (const shard of this.shards) yield* shard.values();
  }
}
