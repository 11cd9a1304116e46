/**
 * Salvage's ledger of its own moves into the trash (services/ledger.ts), kept with the account data:
 * moves.json next to accounts.json in the data folder (0600, written atomically), so an item that an
 * Undo put back into the trash still reads with its old name, place and deletion time after a restart.
 *
 * Format: { version: 1, moves: LedgerEntry[] }. A file that is not JSON, not this shape, or from a
 * newer Salvage is moved aside (never deleted) and reported once as a startup notice; Salvage then
 * starts with an empty ledger (undone items read as the server lists them, nothing is lost).
 * Entries that fail validation are left out.
 */
import { z } from 'zod';
import { moveAside, readIfExists, writeFileAtomic } from '../base/files';
import { LedgerEntry, type LedgerStore } from '../services/ledger';
import type { StartupNotice } from '../services/stores';

export const LEDGER_FILE_VERSION = 1;

const FileFormat = z.object({ version: z.number().int(), moves: z.array(z.unknown()) });

export class FileLedgerStore implements LedgerStore {
  private readonly problems: StartupNotice[] = [];

  constructor(private readonly file: string) {}

  load(): LedgerEntry[] {
    let text: string | null;
    try {
      text = readIfExists(this.file);
    } catch (e) {
      this.problems.push({
        level: 'warning',
        message: `Salvage's record of the items it moved back to the trash could not be read (${(e as NodeJS.ErrnoException).code ?? 'read error'}); those items show as the server lists them.`,
      });
      return [];
    }
    if (text === null) return [];
    let parsed: z.infer<typeof FileFormat> | null;
    try {
      parsed = FileFormat.parse(JSON.parse(text));
    } catch {
      parsed = null;
    }
    if (!parsed || parsed.version > LEDGER_FILE_VERSION) {
      const where = moveAside(this.file, parsed ? 'newer' : 'corrupt');
      this.problems.push({
        level: 'warning',
        message: `Salvage's record of the items it moved back to the trash could not be loaded; the file was moved aside${where ? ` to ${where}` : ''}. Items an earlier Undo put back show as the server lists them (deleted at the time of the Undo).`,
      });
      return [];
    }
    return parsed.moves.flatMap((m) => {
      const entry = LedgerEntry.safeParse(m);
      return entry.success ? [entry.data] : [];
    });
  }

  save(entries: readonly LedgerEntry[]): void {
    writeFileAtomic(this.file, JSON.stringify({ version: LEDGER_FILE_VERSION, moves: entries }));
  }

  notices(): StartupNotice[] {
    return [...this.problems];
  }
}
