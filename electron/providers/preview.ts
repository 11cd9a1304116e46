import { AppError } from '../base/errors';
import { isOverBudget } from '../net/http';
import { PREVIEW_MAX_BYTES, PreviewMimeType, type Preview, type TrashItem } from '../../shared/model';

/**
 * Trash previews, the part every server kind shares: which items are worth asking for, and how a
 * preview answer becomes data for the renderer (image types only, size-capped, read in full by
 * main so no URL or credential ever leaves it).
 */

/** The edge of the preview Salvage asks for, in pixels (the details pane shows it at up to 240). */
export const PREVIEW_EDGE = 512;

const IMAGE_EXTS = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp', 'heic', 'heif', 'tif', 'tiff']);

/**
 * Whether to ask the server for a preview: image files only. Servers make previews of other files
 * too, but ownCloud 10 answers a file it cannot render with its type icon (a 200 with an icon),
 * which would read as a preview; images are what a person identifies by their picture.
 */
export function wantsPreview(item: Pick<TrashItem, 'kind' | 'mimeType' | 'ext'>): Preview | null {
  if (item.kind === 'folder') return none('folder', 'Folders have no preview.');
  const image = item.mimeType ? item.mimeType.toLowerCase().startsWith('image/') : IMAGE_EXTS.has(item.ext);
  if (!image) return none('not-image', 'Previews are shown for images.');
  return null;
}

export const none = (reason: Extract<Preview, { kind: 'none' }>['reason'], message: string): Preview => ({
  kind: 'none',
  reason,
  message,
});

/**
 * Reads a preview answer: an image of an allowed type (PNG, JPEG, GIF, WebP — never SVG, which
 * can carry script) no larger than PREVIEW_MAX_BYTES, as base64. Anything else is BAD_RESPONSE or
 * a 'too-large' none. The body is read as it arrives and dropped at the cap.
 */
export async function readPreviewImage(res: Response, signal?: AbortSignal): Promise<Preview> {
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const mime = PreviewMimeType.safeParse(type === 'image/jpg' ? 'image/jpeg' : type);
  if (!mime.success) {
    await res.body?.cancel();
    throw new AppError('BAD_RESPONSE', `The server sent a preview of an unexpected type (${type || 'none'}).`);
  }
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > PREVIEW_MAX_BYTES) {
    await res.body?.cancel();
    return none('too-large', 'The preview is too large to show.');
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      if (signal?.aborted) {
        await reader.cancel();
        throw new AppError('CANCELLED', 'Cancelled.');
      }
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (e) {
        // The transport ended a streamed preview at its budget (net/http.ts BODY_BUDGET.preview).
        if (isOverBudget(e)) return none('too-large', 'The preview is too large to show.');
        throw e;
      }
      const { done, value } = next;
      if (done) break;
      total += value.byteLength;
      if (total > PREVIEW_MAX_BYTES) {
        await reader.cancel();
        return none('too-large', 'The preview is too large to show.');
      }
      chunks.push(value);
    }
  }
  if (total === 0) return none('missing', 'The server sent an empty preview.');
  return { kind: 'image', mimeType: mime.data, base64: Buffer.concat(chunks).toString('base64') };
}
