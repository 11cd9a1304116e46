/** Where a trashed item came from, written one way for every server kind. Pure; tested in location.test.ts. */

/** What the folder trees call a WebDAV account's (and an Infinite Scale personal space's) root. */
export const HOME = 'Home';
const SEP = ' / ';

/**
 * An item's original folder as a person reads it: the root the folder tree shows, then every
 * folder down to it, joined by " / " on every server kind —
 * "Home / Photos / 2024" (ownCloud 10, Nextcloud, an Infinite Scale personal space: "/Photos/2024"),
 * "Marketing / Campaigns / 2025" (an Infinite Scale project space: "Marketing › Campaigns/2025"),
 * "My documents / Reports / 2024" and "Rooms / Marketing / Q4" (DocSpace, which sends it so).
 * The providers' own forms tell the kinds apart: WebDAV paths start with "/", a project space's
 * folders follow " › ", DocSpace's never start with "/". An empty one is not known.
 */
export function folderLabel(originalFolder: string): string {
  const folder = originalFolder.trim();
  if (folder === '') return 'Unknown folder';
  if (folder.startsWith('/')) return [HOME, ...folder.split('/').filter((s) => s !== '')].join(SEP);
  const space = folder.indexOf(' › ');
  if (space > 0)
    return [
      folder.slice(0, space),
      ...folder
        .slice(space + 3)
        .split('/')
        .filter((s) => s !== ''),
    ].join(SEP);
  return folder;
}

/** The full original path of an item: its folder as folderLabel writes it, then its name. */
export function fullPath(item: { originalFolder: string; name: string }): string {
  return item.originalFolder.trim() === '' ? item.name : `${folderLabel(item.originalFolder)}${SEP}${item.name}`;
}
