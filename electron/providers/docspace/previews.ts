import type { Preview, TrashItem } from '../../../shared/model';
import { AppError } from '../../base/errors';
import { none, readPreviewImage, wantsPreview } from '../preview';
import type { DocSpaceApi } from './api';
import { encodeId, parseItemId, replies } from './dto';

/** A trashed file's thumbnail, fetched with the API key from this portal only. */
export class DocSpacePreviews {
  constructor(private readonly api: DocSpaceApi) {}

  /**
   * A trashed file's thumbnail: its FileDto (GET files/file/{id}) says whether one was Created and
   * where (thumbnailUrl, FileHandler.ashx?action=thumb); that is fetched with the API key when it is
   * on this portal. 204 (not created yet) and 404 read as "no preview".
   */
  async preview(item: TrashItem, signal?: AbortSignal): Promise<Preview> {
    const skip = wantsPreview(item);
    if (skip) return skip;
    const { kind, dsId } = parseItemId(item.id);
    if (kind !== 'file') return none('folder', 'Folders have no preview.');
    const file = await this.api.call(
      { method: 'GET', path: `files/file/${encodeId(dsId)}`, ...(signal ? { signal } : {}) },
      replies.item,
    );
    if (file.thumbnailStatus !== 1 || !file.thumbnailUrl) {
      const waiting = file.thumbnailStatus === 0 || file.thumbnailStatus === 4;
      return none(
        'missing',
        waiting ? 'DocSpace has not made a thumbnail of this file yet.' : 'DocSpace has no thumbnail of this file.',
      );
    }
    // An address Salvage cannot read (relative, malformed) or on another server is no preview, said in words.
    let thumbnail: URL;
    try {
      thumbnail = new URL(file.thumbnailUrl);
    } catch {
      return none(
        'missing',
        'DocSpace gave an address for this thumbnail that Salvage cannot use (not a full web address).',
      );
    }
    if (thumbnail.origin !== new URL(this.api.base).origin) {
      return none(
        'missing',
        `DocSpace named a thumbnail on another server (${thumbnail.host}); Salvage does not send the API key there.`,
      );
    }
    const res = await this.api.fetchRaw(thumbnail.href, signal);
    if (res.status === 200) return readPreviewImage(res, signal);
    await res.body?.cancel();
    if (res.status === 204 || res.status === 404) return none('missing', 'DocSpace has no thumbnail of this file.');
    throw new AppError(
      res.status === 403 ? 'FORBIDDEN' : 'SERVER',
      `DocSpace did not send the thumbnail (HTTP ${res.status}).`,
      { status: res.status },
    );
  }
}
