import type { TreeNode } from '../tree';
import { shortDateTime, type Dtos } from './dto';
import { HttpError, NOT_FOUND_FILE } from './errors';
import type { DocSpaceState, DsUser } from './state';

/** FilesCommonResource texts the version routes answer with. */
const READ_FILE_DENIED = "You don't have enough permission to view the file";
const SAME_VERSION = 'The new version cannot be the same as the current one';

/** The DocSpace test server's file versions: edit history, history, restoreversion and saveediting. */
export class FileVersions {
  constructor(
    private readonly state: DocSpaceState,
    private readonly dto: Dtos,
  ) {}

  /** A live or trashed file by id, or null (folders and unknown ids). */
  private fileNode(id: number): TreeNode | null {
    const node = this.state.node(id);
    return node && node.kind === 'file' ? node : null;
  }

  /**
   * FileSecurity for the version routes: the Trash section allows only Read, Delete and Move (no
   * ReadHistory or EditHistory); a room without write access gives no EditHistory.
   */
  private canEditHistory(node: TreeNode): boolean {
    if (node.trashEntry !== null) return false;
    return this.state.canWriteInto(this.state.tree.node(node.parent!));
  }

  /** GET file/{id}/edit/history: EditHistoryDto per version, oldest first (FileStorageService.GetEditHistoryAsync). */
  editHistory(user: DsUser, id: number) {
    const node = this.fileNode(id);
    if (!node) throw new HttpError(404, NOT_FOUND_FILE, 'ASC.Common.Web.ItemNotFoundException');
    if (node.trashEntry !== null) throw new HttpError(403, READ_FILE_DENIED);
    return this.state.versionsOf(node).map((v) => this.dto.editHistory(node, v));
  }

  /**
   * GET file/{id}/history: FileDto per version, newest first (GetFileHistoryAsync; no file is a failed ReadHistory
   * check).
   */
  fileVersions(user: DsUser, id: number) {
    const node = this.fileNode(id);
    if (!node || node.trashEntry !== null) throw new HttpError(403, READ_FILE_DENIED);
    return [...this.state.versionsOf(node)].reverse().map((v) => this.dto.file(node, user, v));
  }

  /**
   * POST file/{id}/restoreversion?version=N (EntryManager.UpdateToVersionFileAsync): a NEW version
   * with version N's content and size (version and versionGroup one above the current, comment
   * "Restored from the revision of <N's time>", modified now by the caller); the other versions
   * stay. Answers the file's edit history after the restore. `url` (restore from a document-server
   * link) is not modelled.
   */
  restoreVersion(user: DsUser, id: number, q: URLSearchParams) {
    const asked = Number(q.get('version') ?? 0);
    if (!Number.isInteger(asked) || asked < 1)
      throw new HttpError(400, "Value cannot be null. (Parameter 'version')", 'System.ArgumentNullException');
    const node = this.fileNode(id);
    if (!node) throw new HttpError(404, NOT_FOUND_FILE, 'System.IO.FileNotFoundException');
    const history = this.state.versionsOf(node);
    const current = history[history.length - 1]!;
    if (asked === current.version) throw new HttpError(400, SAME_VERSION, 'System.ArgumentException');
    // A version above the current one reads as the current one (Math.Min in UpdateToVersionFileAsync).
    const from = history.find((v) => v.version === Math.min(current.version, asked));
    if (!from) throw new HttpError(404, NOT_FOUND_FILE, 'System.IO.FileNotFoundException');
    if (!this.canEditHistory(node)) throw new HttpError(403, 'Access denied', 'System.Security.SecurityException');
    this.state.saveVersion(node, from.size, user.id, `Restored from the revision of ${shortDateTime(from.modifiedOn)}`);
    return this.state.versionsOf(node).map((v) => this.dto.editHistory(node, v));
  }

  /**
   * PUT file/{id}/saveediting (EditorController.SaveEditingFileFromForm → EntryManager.SaveEditingAsync
   * without forcesave): the "File" part of a multipart/form-data body (or the bare body) becomes a new
   * version (version and versionGroup + 1, comment "Edited"); answers the file's FileDto.
   */
  saveEditing(user: DsUser, id: number, content: Buffer, contentType: string) {
    const node = this.fileNode(id);
    if (!node) throw new HttpError(404, NOT_FOUND_FILE, 'System.IO.FileNotFoundException');
    if (!this.canEditHistory(node)) throw new HttpError(403, 'Access denied', 'System.Security.SecurityException');
    const file = /^multipart\/form-data/i.test(contentType) ? multipartPart(content, contentType, 'File') : content;
    this.state.saveVersion(node, file?.length ?? 0, user.id, 'Edited');
    return this.dto.file(node, user);
  }
}

/** The content of the named part of a multipart/form-data body, or null. */
function multipartPart(body: Buffer, contentType: string, name: string): Buffer | null {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) return null;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const part = body.subarray(start, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const partName = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers)?.[1];
      // The part's content ends before the CRLF that precedes the next delimiter.
      if (partName === name) return part.subarray(headerEnd + 4, part.length - 2);
    }
    at = next;
  }
  return null;
}
