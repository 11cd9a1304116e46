import { randomUUID } from 'node:crypto';
import type { TreeNode } from '../tree';
import type { Dtos } from './dto';
import { HttpError, NOT_FOUND_FILE, NOT_FOUND_FOLDER, type Body } from './errors';
import type { DocSpaceState, DsUser, Operation } from './state';

/**
 * The DocSpace test server's file operations: the conflict pre-check (GET fileops/move), move,
 * delete and emptytrash as background operations that advance one top-level item per `opItemMs`,
 * their results (each finished operation reported once) and terminate.
 */
export class FileOperations {
  constructor(
    private readonly state: DocSpaceState,
    private readonly dto: Dtos,
    /**
     * Behave like an older portal (DocSpaceOptions.legacy): ignore `returnSingleOperation`, `single` and the `?id=`
     * filter.
     */
    private readonly legacy: boolean,
  ) {}

  private ids(value: unknown): number[] {
    if (!Array.isArray(value)) return [];
    return value.map((v) => Number(v)).filter((n) => Number.isInteger(n));
  }

  checkMove(user: DsUser, q: URLSearchParams) {
    const dest = this.state.node(Number(q.get('destFolderId')));
    if (!dest || dest.kind !== 'folder' || dest.trashEntry !== null) throw new HttpError(403, NOT_FOUND_FOLDER);
    if (!this.state.canWriteInto(dest)) throw new HttpError(403, "You don't have enough permission to create");
    const list = (name: string) =>
      [...q.getAll(name), ...q.getAll(`${name}[]`)].map(Number).filter((n) => Number.isInteger(n));
    const out: unknown[] = [];
    for (const id of list('fileIds')) {
      const node = this.state.node(id);
      if (node?.kind === 'file' && this.state.childByTitle(dest.id, this.state.title(node), 'file'))
        out.push(this.dto.file(node, user));
    }
    for (const id of list('folderIds')) {
      const node = this.state.node(id);
      if (node?.kind !== 'folder') continue;
      for (let p: TreeNode | null = dest; p; p = p.parent === null ? null : this.state.tree.node(p.parent)) {
        if (p.id === node.id) throw new HttpError(403, 'The folder cannot be copied or moved into itself');
      }
      if (this.state.childByTitle(dest.id, this.state.title(node), 'folder')) out.push(this.dto.folder(node, user));
    }
    return out;
  }

  startMove(user: DsUser, body: Body) {
    let fileIds = this.ids(body.fileIds);
    let folderIds = this.ids(body.folderIds);
    if (fileIds.length + folderIds.length === 0) return this.results(user, undefined, 0);
    const dest = this.state.node(Number(body.destFolderId));
    if (!dest || dest.kind !== 'folder' || dest.trashEntry !== null)
      throw new HttpError(404, NOT_FOUND_FOLDER, 'ASC.Common.Web.ItemNotFoundException');
    if (!this.state.canWriteInto(dest)) throw new HttpError(403, "You don't have enough permission to move");
    if (body.content === true) {
      // content: true moves what is inside the folders instead of the folders themselves.
      const inner = folderIds.flatMap((id) => (this.state.node(id) ? this.state.childrenOf(id) : []));
      folderIds = inner.filter((n) => n.kind === 'folder').map((n) => n.id);
      fileIds = [...fileIds, ...inner.filter((n) => n.kind === 'file').map((n) => n.id)];
    }
    const op = this.newOp(user, 0, folderIds, fileIds, body.deleteAfter !== true);
    op.dest = dest.id;
    op.resolve = parseResolve(body.conflictResolveType);
    op.result.push(`folder_${dest.id}`);
    this.run(op);
    return this.results(user, body.returnSingleOperation === true && !this.legacy ? op.id : undefined, 0);
  }

  startDelete(user: DsUser, body: Body) {
    const fileIds = this.ids(body.fileIds);
    const folderIds = this.ids(body.folderIds);
    if (fileIds.length + folderIds.length === 0) return this.results(user, undefined, 2);
    const op = this.newOp(user, 2, folderIds, fileIds, body.deleteAfter !== true);
    op.immediately = body.immediately === true;
    this.run(op);
    return this.results(user, body.returnSingleOperation === true && !this.legacy ? op.id : undefined, 2);
  }

  startEmpty(user: DsUser, single: boolean) {
    const top = this.state.trashOf(user.id);
    if (top.length === 0) return this.results(user, undefined, 2); // no task: every delete operation is listed
    const op = this.newOp(
      user,
      2,
      top.filter((n) => n.kind === 'folder').map((n) => n.id),
      top.filter((n) => n.kind === 'file').map((n) => n.id),
      true,
    );
    op.immediately = true;
    this.run(op);
    return this.results(user, single && !this.legacy ? op.id : undefined, 2);
  }

  private newOp(user: DsUser, type: 0 | 2, folderIds: number[], fileIds: number[], hold: boolean): Operation {
    const queue = [
      ...folderIds.map((id) => ({ kind: 'folder' as const, id })),
      ...fileIds.map((id) => ({ kind: 'file' as const, id })),
    ];
    const op: Operation = {
      id: randomUUID(),
      user: user.id,
      type,
      queue,
      total: queue.length,
      processed: 0,
      progress: 0,
      error: null,
      finished: false,
      hold,
      status: 0,
      result: [],
      timer: null,
    };
    this.state.ops.set(op.id, op);
    return op;
  }

  /** Advances an operation one top-level item per `opItemMs`. */
  private run(op: Operation): void {
    const step = () => {
      op.timer = null;
      if (!this.state.ops.has(op.id)) return; // terminated
      op.status = 1;
      // One item per tick; with no per-item time (benches), up to 1,000 per tick so 100k items take seconds, not
      // minutes.
      for (let n = this.state.opItemMs > 0 ? 1 : 1000; n > 0; n--) {
        const item = op.queue.shift();
        if (!item) break;
        try {
          if (op.type === 0) this.applyMove(op, item);
          else this.applyDelete(op, item);
        } catch (e) {
          op.error = e instanceof Error ? e.message : String(e);
        }
        op.processed++;
        op.progress = Math.min(100, Math.floor((100 * op.processed) / Math.max(1, op.total)));
        this.state.touch();
      }
      if (op.queue.length === 0) {
        op.finished = true;
        op.progress = 100;
        op.status = 2;
        return;
      }
      op.timer = setTimeout(step, this.state.opItemMs);
    };
    op.timer = setTimeout(step, this.state.opItemMs);
  }

  private applyMove(op: Operation, item: { kind: 'file' | 'folder'; id: number }): void {
    const node = this.state.node(item.id);
    if (!node || node.kind !== item.kind) throw new Error(item.kind === 'file' ? NOT_FOUND_FILE : NOT_FOUND_FOLDER);
    const dest = this.state.node(op.dest!);
    if (!dest || dest.kind !== 'folder' || dest.trashEntry !== null) throw new Error(NOT_FOUND_FOLDER);
    if (!this.state.canWriteInto(dest)) throw new Error("You don't have enough permission to move");
    this.moveEntry(op, node, dest, op.resolve ?? 0);
  }

  /** FileMoveCopyOperation for one entry: Skip/Overwrite look for a same-titled entry; folders merge. */
  private moveEntry(op: Operation, node: TreeNode, dest: TreeNode, resolve: 0 | 1 | 2): void {
    const title = this.state.title(node);
    for (let p: TreeNode | null = dest; p; p = p.parent === null ? null : this.state.tree.node(p.parent)) {
      if (p.id === node.id) throw new Error('The folder cannot be copied or moved into itself');
    }
    if (node.kind === 'file') {
      const conflict = resolve === 2 ? null : this.state.childByTitle(dest.id, title, 'file');
      if (!conflict || conflict.id === node.id) {
        this.state.moveInto(node, dest.id);
        op.result.push(`file_${node.id}`);
      } else if (resolve === 1) {
        // Overwrite: the existing file gets a new version (version and versionGroup + 1, comment
        // "Overwritten") with the trashed file's content; its earlier versions stay in its history;
        // the trashed one is deleted.
        this.state.saveVersion(conflict, node.size, op.user, 'Overwritten');
        this.state.destroy(node);
        op.result.push(`file_${conflict.id}`);
      }
      // Skip: nothing happens and no error is reported.
      return;
    }
    const conflict = resolve === 2 ? null : this.state.childByTitle(dest.id, title, 'folder');
    if (!conflict || conflict.id === node.id) {
      this.state.moveInto(node, dest.id);
      op.result.push(`folder_${node.id}`);
      return;
    }
    // Same-named folder: merge the contents into it (each entry with the same resolve type).
    for (const child of [...this.state.childrenOf(node.id)].sort((a, b) =>
      a.kind === b.kind ? 0 : a.kind === 'file' ? -1 : 1,
    )) {
      this.moveEntry(op, child, conflict, resolve);
    }
    if (this.state.childrenOf(node.id).length === 0) {
      this.state.destroy(node);
      op.result.push(`folder_${conflict.id}`);
    }
  }

  private applyDelete(op: Operation, item: { kind: 'file' | 'folder'; id: number }): void {
    const node = this.state.node(item.id);
    if (!node || node.kind !== item.kind) throw new Error(item.kind === 'file' ? NOT_FOUND_FILE : NOT_FOUND_FOLDER);
    if (node.trashEntry !== null || op.immediately) this.state.destroy(node);
    else this.state.trashNode(op.user, node.id);
  }

  /**
   * FileOperationsManagerHolder.GetOperationResults: a finished operation is dequeued on this read
   * and listed only when its result is held (deleteAfter: false) — so it is seen finished once.
   */
  results(user: DsUser, id: string | undefined, type?: 0 | 2) {
    const out: unknown[] = [];
    for (const t of [0, 2] as const) {
      if (type !== undefined && t !== type) continue;
      for (const op of [...this.state.ops.values()]) {
        if (op.user !== user.id || op.type !== t || (id && op.id !== id)) continue;
        if (op.status > 1) {
          op.progress = 100;
          this.state.ops.delete(op.id);
        }
        if (op.hold || op.progress !== 100) out.push(this.dto.operation(op, user));
      }
    }
    return out;
  }

  terminate(user: DsUser, id: string | undefined) {
    for (const op of [...this.state.ops.values()]) {
      if (op.user !== user.id || (id && op.id !== id)) continue;
      if (op.timer) clearTimeout(op.timer);
      op.timer = null;
      this.state.ops.delete(op.id);
    }
    return this.results(user, undefined);
  }
}

const parseResolve = (v: unknown): 0 | 1 | 2 => {
  if (v === 1 || v === '1' || (typeof v === 'string' && v.toLowerCase() === 'overwrite')) return 1;
  if (v === 2 || v === '2' || (typeof v === 'string' && v.toLowerCase() === 'duplicate')) return 2;
  return 0;
};
