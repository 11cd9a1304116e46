import type { ActionHint } from '../lib/actionHints';

/**
 * Why actions cannot run now, each in a few words: beside the toolbar's buttons, or in the status bar of a narrow
 * window.
 */
export function ActionHints({
  hints,
  className = 'toolbar-hint',
}: {
  hints: readonly ActionHint[];
  className?: string;
}) {
  return (
    <>
      {hints.map((h) => (
        <span key={h.id} className={className} data-testid={h.id} title={h.text}>
          {h.text}
        </span>
      ))}
    </>
  );
}
