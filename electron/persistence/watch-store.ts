import { z } from 'zod';
import { WATCH_INTERVAL } from '../../shared/watch';
import { moveAside, readIfExists, writeFileAtomic } from '../base/files';
import type { StartupNotice } from '../services/stores';
import type { WatchFile, WatchStore } from '../services/watch';

/**
 * The watch's settings and where it stopped, in watch.json beside accounts.json (0600, written
 * atomically): the minutes between checks, and per account whether it is watched, when it was last
 * checked (what was deleted after that is news at the next start), when the expiry warning was last
 * given, and the ids of events already announced. No server answer, no secret. A file that cannot
 * be read is moved aside and the watch starts with its defaults (the user is told once).
 */
export const WATCH_FILE_VERSION = 1;

const Record_ = z.object({
  enabled: z.boolean().optional(),
  checkedAt: z.number().finite().optional(),
  warnedAt: z.number().finite().optional(),
  announced: z.array(z.string().max(100)).max(1000).optional(),
});

const File_ = z.object({
  version: z.literal(WATCH_FILE_VERSION),
  intervalMinutes: z.number().int().min(WATCH_INTERVAL.min).max(WATCH_INTERVAL.max),
  accounts: z.record(z.string().max(200), Record_),
});

const defaults = (): WatchFile => ({ intervalMinutes: WATCH_INTERVAL.default, accounts: {} });

export class FileWatchStore implements WatchStore {
  private readonly problems: StartupNotice[] = [];
  private readonly initial: WatchFile;

  constructor(private readonly file: string) {
    this.initial = this.read();
  }

  private read(): WatchFile {
    let text: string | null;
    try {
      text = readIfExists(this.file);
    } catch (e) {
      this.problems.push({
        level: 'warning',
        message: `The watch's settings could not be read (${(e as NodeJS.ErrnoException).code ?? 'read error'}); it runs with its defaults.`,
      });
      return defaults();
    }
    if (text === null) return defaults();
    let parsed: z.infer<typeof File_> | null = null;
    try {
      const r = File_.safeParse(JSON.parse(text));
      if (r.success) parsed = r.data;
    } catch {
      /* not JSON */
    }
    if (!parsed) {
      const where = moveAside(this.file, 'corrupt');
      this.problems.push({
        level: 'warning',
        message: `The watch's settings could not be loaded; the file was moved aside${where ? ` to ${where}` : ''} and the watch runs with its defaults.`,
      });
      return defaults();
    }
    const accounts: WatchFile['accounts'] = {};
    for (const [id, r] of Object.entries(parsed.accounts)) {
      accounts[id] = {
        ...(r.enabled !== undefined ? { enabled: r.enabled } : {}),
        ...(r.checkedAt !== undefined ? { checkedAt: r.checkedAt } : {}),
        ...(r.warnedAt !== undefined ? { warnedAt: r.warnedAt } : {}),
        ...(r.announced ? { announced: r.announced } : {}),
      };
    }
    return { intervalMinutes: parsed.intervalMinutes, accounts };
  }

  load(): WatchFile {
    return structuredClone(this.initial);
  }

  save(file: WatchFile): void {
    writeFileAtomic(this.file, `${JSON.stringify({ version: WATCH_FILE_VERSION, ...file }, null, 2)}\n`);
  }

  notices(): StartupNotice[] {
    return [...this.problems];
  }
}
