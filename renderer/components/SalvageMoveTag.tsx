import type { SalvageMove } from '../../shared/model';
import { folderLabel } from '../../shared/location';
import { formatDateTime } from '../lib/format';

/** What a Salvage move did, in words (the row's tag tooltip and the details pane). */
export function salvageMoveText(move: SalvageMove): string {
  const when = formatDateTime(move.at);
  if (move.why === 'replace')
    return `Salvage moved this to the trash on ${when} to restore ${move.by ?? 'another item'} in its place (Replace). It is not part of any deletion event.`;
  const kept = move.trashedAs
    ? ` The server keeps it as “${move.trashedAs.name}” in ${folderLabel(move.trashedAs.folder)}; restoring it puts it back under its own name and place.`
    : '';
  return `Salvage moved this back to the trash on ${when} (Undo). It shows the name, place and deletion time it had before that restore.${kept}`;
}

/** A small tag on a row whose item Salvage itself put into the trash: "moved back" (Undo) or "replaced" (Replace). */
export function SalvageMoveTag({ move }: { move: SalvageMove }) {
  return (
    <span className="row-tag" title={salvageMoveText(move)} data-testid="salvage-move">
      {move.why === 'replace' ? 'replaced' : 'moved back'}
    </span>
  );
}
