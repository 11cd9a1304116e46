import { kindInfo } from '../../shared/kinds';
import type { TrashItem } from '../../shared/model';
import type { TrashProvider } from './types';
import { displayPath, folderSegments } from './webdav/paths';

/**
 * Where items go back to, as far as the order of a restore to original places needs it: `self` is
 * the place a trashed folder comes back as; `within` are the places of every folder its original
 * location lies in (outermost first). Item B lies inside the trashed folder A of the same batch
 * when A's `self` is one of B's `within`: A must come back first, and then B's folder exists again
 * (rather than being recreated). Places are only compared within one account.
 */
export interface Place {
  self: string | null;
  within: string[];
}

/** A provider that works places out itself (DocSpace: folder ids, asking the server). */
export interface PlacesProvider {
  restorePlaces(items: TrashItem[], signal?: AbortSignal): Promise<Map<string, Place>>;
}

const hasPlaces = (p: TrashProvider): p is TrashProvider & PlacesProvider =>
  typeof (p as Partial<PlacesProvider>).restorePlaces === 'function';

/** WebDAV: the original location is a path (TrashItem.originalFolderId), so places are paths. */
export function webDavPlaces(items: readonly TrashItem[]): Map<string, Place> {
  const out = new Map<string, Place>();
  for (const item of items) {
    let folder: string[];
    try {
      folder = folderSegments(item.originalFolderId);
    } catch {
      continue;
    }
    if (item.originalFolderId === null) continue;
    const within: string[] = [];
    for (let i = 1; i <= folder.length; i++) within.push(displayPath(folder.slice(0, i)));
    out.set(item.key, { self: item.kind === 'folder' ? displayPath([...folder, item.name]) : null, within });
  }
  return out;
}

/** Places of the items' original locations, by item key; items without a known place are left out. */
export function restorePlaces(
  provider: TrashProvider,
  items: TrashItem[],
  signal?: AbortSignal,
): Promise<Map<string, Place>> {
  if (hasPlaces(provider)) return provider.restorePlaces(items, signal);
  if (kindInfo(provider.kind).family !== 'webdav') return Promise.resolve(new Map());
  return Promise.resolve(webDavPlaces(items));
}

/**
 * The waves a restore to original places runs in: wave n holds the items that lie inside n trashed
 * folders of the same batch, so every folder comes back (with its contents) before anything whose
 * original location lies inside it. Within a wave, order is kept (and items run concurrently).
 */
export function restoreWaves<T extends Pick<TrashItem, 'key'>>(
  items: readonly T[],
  places: ReadonlyMap<string, Place>,
): { waves: T[][]; depth: Map<string, number> } {
  const folders = new Set<string>();
  for (const item of items) {
    const self = places.get(item.key)?.self;
    if (self) folders.add(self);
  }
  const waves: T[][] = [];
  const depth = new Map<string, number>();
  for (const item of items) {
    const place = places.get(item.key);
    let d = 0;
    if (place) for (const w of new Set(place.within)) if (w !== place.self && folders.has(w)) d++;
    depth.set(item.key, d);
    (waves[d] ??= []).push(item);
  }
  return { waves: waves.filter((w) => w !== undefined && w.length > 0), depth };
}
