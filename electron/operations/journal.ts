import { join } from 'node:path';
import { z } from 'zod';
import { OperationView } from '../../shared/model';
import { moveAside, readIfExists, writeFileAtomic } from '../base/files';

/** Where operations are remembered between launches, so a batch cut short is reported next time. */
export interface OperationJournal {
  load(): OperationView[];
  save(views: OperationView[]): void;
}

const KEEP = 50;

export class FileOperationJournal implements OperationJournal {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'operations.json');
  }

  load(): OperationView[] {
    const text = readIfExists(this.file);
    if (text === null) return [];
    try {
      const views = z.array(OperationView).parse(JSON.parse(text));
      return views.map((v) =>
        v.state === 'running' || v.state === 'queued' || v.state === 'needs-answer'
          ? {
              ...v,
              state: 'failed' as const,
              question: null,
              current: null,
              undoable: false,
              undoNote: null,
              finishedAt: v.finishedAt ?? new Date().toISOString(),
              error: {
                code: 'CANCELLED' as const,
                message: `Salvage was closed before this finished: ${v.results.length} of ${v.total} items had a result. Check the trash and retry.`,
              },
            }
          : { ...v, undoable: false, undoNote: v.kind === 'restore' && v.undoable ? 'Undo is offered only until Salvage is closed.' : null },
      );
    } catch {
      moveAside(this.file, 'corrupt');
      return [];
    }
  }

  save(views: OperationView[]): void {
    writeFileAtomic(this.file, JSON.stringify(views.slice(-KEEP)));
  }
}
