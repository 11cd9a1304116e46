/** Where a trashed item came from, written out in full. Pure; tested in location.test.ts. */

/**
 * The full original path of an item: its folder as the server names it, then its name, joined the
 * way that folder is written — "/Photos/IMG_1.jpg" (WebDAV; "/IMG_1.jpg" at the root),
 * "My documents / Reports / Q3.docx" (DocSpace), "Marketing › Campaigns/2025/brief.pdf" (an oCIS space).
 */
export function fullPath(item: { originalFolder: string; name: string }): string {
  const folder = item.originalFolder.trim();
  if (folder === '' || folder === '/') return `/${item.name}`;
  if (folder.includes(' / ') || (!folder.includes('/') && !folder.includes(' › '))) return `${folder} / ${item.name}`;
  return `${folder.replace(/\/+$/, '')}/${item.name}`;
}
