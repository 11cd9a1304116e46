import type { FileType } from '../lib/fileType';

const COLORS: Record<FileType, string> = {
  folder: '#e0a526',
  document: '#2f6fde',
  spreadsheet: '#1f9d55',
  presentation: '#e0662f',
  pdf: '#d03a3a',
  image: '#8b5cf6',
  video: '#db2777',
  audio: '#0891b2',
  archive: '#7c6f57',
  code: '#64748b',
  other: '#8a90a0',
};

const LETTERS: Partial<Record<FileType, string>> = {
  document: 'W',
  spreadsheet: 'X',
  presentation: 'P',
  pdf: 'PDF',
  archive: 'ZIP',
  code: '</>',
};

/** A small file-type icon, drawn inline (no remote images under the CSP). Decorative: the type is also in the row's label. */
export function FileIcon({ type, size = 18 }: { type: FileType; size?: number }) {
  const color = COLORS[type];
  if (type === 'folder') {
    return (
      <svg className="file-icon" width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d="M2 6.5A2.5 2.5 0 0 1 4.5 4h4.6l2 2.2h8.4A2.5 2.5 0 0 1 22 8.7v8.8a2.5 2.5 0 0 1-2.5 2.5h-15A2.5 2.5 0 0 1 2 17.5z" fill={color} />
      </svg>
    );
  }
  const letter = LETTERS[type];
  return (
    <svg className="file-icon" width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M5 2.5h9.5L20 8v13a.5.5 0 0 1-.5.5h-14A.5.5 0 0 1 5 21z" fill={color} opacity="0.18" stroke={color} strokeWidth="1.2" />
      <path d="M14.5 2.5V8H20" fill="none" stroke={color} strokeWidth="1.2" />
      {type === 'image' ? (
        <path d="M7.5 18l3-4 2 2.5 2-3 2.5 4.5z" fill={color} />
      ) : type === 'video' ? (
        <path d="M10 12.5v5l4.5-2.5z" fill={color} />
      ) : type === 'audio' ? (
        <path d="M11 18.5a1.6 1.6 0 1 1-1-1.5V11.5l5-1v5.5a1.6 1.6 0 1 1-1-1.5v-2.9l-3 .6z" fill={color} />
      ) : letter ? (
        <text x="12.5" y="18" textAnchor="middle" fontSize={letter.length > 2 ? 5.5 : 7} fontWeight="700" fill={color} fontFamily="system-ui, sans-serif">
          {letter}
        </text>
      ) : null}
    </svg>
  );
}
