/** The toolbar's two icons in a narrow window (drawn, so no font has to carry them). */

/** "i" in a circle: the details pane. */
export function DetailsIcon() {
  return (
    <svg className="toolbar-svg" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <rect x="7.25" y="7" width="1.5" height="4.5" rx="0.5" fill="currentColor" />
      <circle cx="8" cy="4.8" r="0.95" fill="currentColor" />
    </svg>
  );
}

/** A circular arrow: read the trash again. */
export function ReloadIcon() {
  return (
    <svg className="toolbar-svg" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d="M13 8a5 5 0 1 1-1.46-3.54" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
      <path
        d="M13.2 2.2v3.4H9.8"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
