import type { Conflict, TrashItem } from '../../shared/model';

/**
 * Where an item would land: a key that is equal for two items exactly when they would take the same place, and its
 * display path.
 */
export interface Place {
  key: string;
  targetPath: string;
}

/**
 * Clashes inside one selection: items that would be restored to the same place. The first in
 * restore order takes it; each later one is a 'selection' conflict naming that first item (the
 * dialog offers Keep both first for these). Items that already clash with a live item are left
 * to that conflict: one question per item.
 */
export function selectionClashes(
  items: readonly TrashItem[],
  placeOf: (item: TrashItem) => Place | null,
  alreadyAsked: ReadonlySet<string>,
): Conflict[] {
  const first = new Map<string, TrashItem>();
  const out: Conflict[] = [];
  for (const item of items) {
    const place = placeOf(item);
    if (!place) continue;
    const taken = first.get(place.key);
    if (!taken) {
      first.set(place.key, item);
      continue;
    }
    if (alreadyAsked.has(item.key)) continue;
    out.push({
      itemKey: item.key,
      name: item.name,
      targetPath: place.targetPath,
      source: 'selection',
      otherKey: taken.key,
      trashed: { size: item.size, deletedAt: item.deletedAt, kind: item.kind },
      existing: { size: taken.size, modifiedAt: taken.deletedAt, kind: taken.kind },
      canReplace: true,
      note: `Another selected item with this name is restored here first. Keep both gives this one a new name; Replace moves that one back to the trash.`,
    });
  }
  return out;
}
