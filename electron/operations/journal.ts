import { join } from 'node:path';
import { z } from 'zod';
import { Destination, ItemRef, OperationView, Resolution } from '../../shared/model';
import { moveAside, readIfExists, writeFileAtomic } from '../base/files';

/**
 * How to run a batch again for the items that did not get done (Retry failed, and Resume after
 * Salvage was closed in the middle). Plain data, kept in the journal next to the view.
 */
export const ResumeRequest = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('restore'),
    items: z.array(ItemRef),
    destination: Destination,
    resolutions: z.record(z.string(), Resolution),
    recreateMissingFolders: z.boolean(),
  }),
  z.object({ kind: z.literal('delete'), items: z.array(ItemRef) }),
]);
export type ResumeRequest = z.infer<typeof ResumeRequest>;

export interface JournalEntry {
  view: OperationView;
  resume?: ResumeRequest | undefined;
}

/** Where operations are remembered between launches, so a batch cut short is reported next time and can be resumed. */
export interface OperationJournal {
  load(): JournalEntry[];
  save(entries: JournalEntry[]): void;
}

const KEEP = 50;
const Entry = z.object({ view: OperationView, resume: ResumeRequest.optional() });
/** Journals written before resume requests were kept are plain arrays of views. */
const FileFormat = z.union([z.array(Entry), z.array(OperationView).transform((views) => views.map((view): z.infer<typeof Entry> => ({ view })))]);

export class FileOperationJournal implements OperationJournal {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'operations.json');
  }

  load(): JournalEntry[] {
    const text = readIfExists(this.file);
    if (text === null) return [];
    try {
      return FileFormat.parse(JSON.parse(text)).map(({ view: v, resume }) => ({
        resume,
        view:
          v.state === 'running' || v.state === 'queued' || v.state === 'needs-answer'
            ? {
                ...v,
                state: 'failed' as const,
                question: null,
                current: null,
                undoable: false,
                undoNote: null,
                resumable: Boolean(resume),
                finishedAt: v.finishedAt ?? new Date().toISOString(),
                error: {
                  code: 'INTERRUPTED' as const,
                  message: `Salvage was closed before this finished: ${v.results.length.toLocaleString('en-US')} of ${v.total.toLocaleString('en-US')} items had a result.${resume ? ' Resume does the rest.' : ' Check the trash and retry.'}`,
                },
              }
            : { ...v, undoable: false, undoNote: v.kind === 'restore' && v.undoable ? 'Undo is offered only until Salvage is closed.' : null },
      }));
    } catch {
      moveAside(this.file, 'corrupt');
      return [];
    }
  }

  save(entries: JournalEntry[]): void {
    writeFileAtomic(this.file, JSON.stringify(entries.slice(-KEEP)));
  }
}
