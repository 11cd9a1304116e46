/**
 * Finding where restored items landed, many at a time. Nextcloud picks the place of a restore
 * itself (the original folder, "name (restored).ext" when the name is taken, the root when the
 * folder is gone, or — for same-named files deleted in one second — where the first of them was).
 * Instead of one read per item, a batch collects the file ids of what it has just restored and
 * asks once for up to `maxIds` of them (Nextcloud: one DAV SEARCH by oc:fileid, which answers with
 * each file's path, ETag and size wherever it is).
 *
 * A lookup is sent when `maxIds` ids wait, when the batch says nothing more will come (drain), or
 * `maxWaitMs` after the first id began to wait, so results keep coming while a long batch runs.
 * One lookup at a time: the server's few workers stay with the restores themselves.
 */
export interface LandingFinderOptions {
  /** Most ids in one lookup (Nextcloud refuses a search of more than 100 operators). */
  maxIds?: number;
  maxWaitMs?: number;
}

/**
 * Answers what was found for the ids asked (ids left out were not found), or null when the server cannot be asked this
 * way.
 */
export type FindByIds<T> = (ids: string[]) => Promise<Map<string, T> | null>;

interface Waiting<T> {
  resolve: (found: T | null) => void;
  reject: (e: unknown) => void;
}

export class LandingFinder<T> {
  private readonly waiting = new Map<string, Waiting<T>[]>();
  private readonly maxIds: number;
  private readonly maxWaitMs: number;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private drained = false;
  private unsupported = false;
  /** Lookups sent (for tests and figures). */
  lookups = 0;

  constructor(
    private readonly findByIds: FindByIds<T>,
    options: LandingFinderOptions = {},
  ) {
    this.maxIds = Math.max(1, options.maxIds ?? 99);
    this.maxWaitMs = options.maxWaitMs ?? 1_500;
  }

  /**
   * Where the item with this file id is now; null when not found or when the server cannot be asked (then look another
   * way).
   */
  find(fileId: string): Promise<T | null> {
    if (this.unsupported) return Promise.resolve(null);
    return new Promise<T | null>((resolve, reject) => {
      const list = this.waiting.get(fileId);
      if (list) list.push({ resolve, reject });
      else this.waiting.set(fileId, [{ resolve, reject }]);
      this.schedule();
    });
  }

  /** Nothing more will be asked for a while (the batch has no more items to start): look up what waits now. */
  drain(): void {
    this.drained = true;
    this.schedule();
  }

  /** More items started after a drain (a new wave): wait for full lookups again. */
  resume(): void {
    this.drained = false;
  }

  private schedule(): void {
    if (this.running || this.waiting.size === 0) return;
    if (this.waiting.size >= this.maxIds || this.drained) {
      void this.lookup();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.lookup();
    }, this.maxWaitMs);
  }

  private async lookup(): Promise<void> {
    if (this.running || this.waiting.size === 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = true;
    const ids = [...this.waiting.keys()].slice(0, this.maxIds);
    const asked = ids.map((id) => [id, this.waiting.get(id)!] as const);
    for (const id of ids) this.waiting.delete(id);
    try {
      this.lookups++;
      const found = await this.findByIds(ids);
      if (found === null) this.unsupported = true;
      for (const [id, list] of asked) for (const w of list) w.resolve(found?.get(id) ?? null);
      if (this.unsupported) {
        for (const list of this.waiting.values()) for (const w of list) w.resolve(null);
        this.waiting.clear();
      }
    } catch (e) {
      for (const [, list] of asked) for (const w of list) w.reject(e);
    } finally {
      this.running = false;
      this.schedule();
    }
  }
}
