import type { FileType } from '../lib/fileType';

const LETTERS: Partial<Record<FileType, string>> = {
  document: 'W',
  spreadsheet: 'X',
  presentation: 'P',
  pdf: 'PDF',
  archive: 'ZIP',
  code: '</>',
};

/**
 * A small file-type icon, drawn inline (no remote images under the CSP). Decorative: the type is
 * also in the row's label. Its colour comes from the stylesheet (.file-icon.type-…), with a lighter
 * set in the dark theme so every icon keeps its contrast there.
 */
export function FileIcon({ type, size = 18 }: { type: FileType; size?: number }) {
  if (type === 'folder') {
    return (
      <svg
        className={`file-icon type-${type}`}
        width={size}
        height={size}
        viewBox="0 0 24 24"
        aria-hidden="true"
        focusable="false"
      >
        <path
          d="M2 6.5A2.5 2.5 0 0 1 4.5 4h4.6l2 2.2h8.4A2.5 2.5 0 0 1 22 8.7v8.8a2.5 2.5 0 0 1-2.5 2.5h-15A2.5 2.5 0 0 1 2 17.5z"
          fill="currentColor"
        />
      </svg>
    );
  }
  const letter = LETTERS[type];
  return (
    <svg
      className={`file-icon type-${type}`}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
    >
      <path
        className="file-icon-sheet"
        d="M5 2.5h9.5L20 8v13a.5.5 0 0 1-.5.5h-14A.5.5 0 0 1 5 21z"
        fill="currentColor"
        stroke="currentColor"
        strokeWidth="1.2"
      />
      <path d="M14.5 2.5V8H20" fill="none" stroke="currentColor" strokeWidth="1.2" />
      {type === 'image' ? (
        <path d="M7.5 18l3-4 2 2.5 2-3 2.5 4.5z" fill="currentColor" />
      ) : type === 'video' ? (
        <path d="M10 12.5v5l4.5-2.5z" fill="currentColor" />
      ) : type === 'audio' ? (
        <path d="M11 18.5a1.6 1.6 0 1 1-1-1.5V11.5l5-1v5.5a1.6 1.6 0 1 1-1-1.5v-2.9l-3 .6z" fill="currentColor" />
      ) : letter ? (
        <text
          x="12.5"
          y="18"
          textAnchor="middle"
          fontSize={letter.length > 2 ? 5.5 : 7}
          fontWeight="700"
          fill="currentColor"
          fontFamily="system-ui, sans-serif"
        >
          {letter}
        </text>
      ) : null}
    </svg>
  );
}
