import type { TrashItem } from '../../shared/model';

/** What the type filter and the icons group files into. */
export const FILE_TYPES = [
  'folder',
  'document',
  'spreadsheet',
  'presentation',
  'pdf',
  'image',
  'video',
  'audio',
  'archive',
  'code',
  'other',
] as const;
export type FileType = (typeof FILE_TYPES)[number];

export const FILE_TYPE_LABELS: Record<FileType, string> = {
  folder: 'Folders',
  document: 'Documents',
  spreadsheet: 'Spreadsheets',
  presentation: 'Presentations',
  pdf: 'PDFs',
  image: 'Images',
  video: 'Videos',
  audio: 'Audio',
  archive: 'Archives',
  code: 'Code and text',
  other: 'Other files',
};

const BY_EXT: Record<string, FileType> = {};
const add = (type: FileType, exts: string) => exts.split(' ').forEach((e) => (BY_EXT[e] = type));
add('document', 'doc docx odt rtf docxf oform pages');
add('spreadsheet', 'xls xlsx ods csv numbers tsv');
add('presentation', 'ppt pptx odp key');
add('pdf', 'pdf');
add('image', 'jpg jpeg png gif bmp webp heic heif svg tif tiff raw cr2 nef');
add('video', 'mp4 mov avi mkv webm m4v wmv');
add('audio', 'mp3 wav flac ogg m4a aac opus');
add('archive', 'zip tar gz tgz bz2 xz 7z rar');
add('code', 'txt md json xml yaml yml js ts tsx jsx py java c h cpp cs go rs rb php html css sh log ini toml');

export function fileTypeOf(item: Pick<TrashItem, 'kind' | 'ext' | 'mimeType'>): FileType {
  if (item.kind === 'folder') return 'folder';
  const byExt = BY_EXT[item.ext];
  if (byExt) return byExt;
  const mime = item.mimeType ?? '';
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'audio';
  if (mime.startsWith('text/')) return 'code';
  if (mime === 'application/pdf') return 'pdf';
  return 'other';
}
