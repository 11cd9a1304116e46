import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { OperationView } from '../../shared/model';

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
    if (!existsSync(this.file)) return [];
    try {
      const views = z.array(OperationView).parse(JSON.parse(readFileSync(this.file, 'utf8')));
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
      renameSync(this.file, `${this.file}.corrupt-${Date.now()}`);
      return [];
    }
  }

  save(views: OperationView[]): void {
    const recent = views.slice(-KEEP);
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(recent), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
