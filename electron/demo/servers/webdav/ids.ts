/**
 * How the servers name files, spaces and trash items in what they answer: Nextcloud's and ownCloud
 * 10's padded file ids with the instance id, oCIS's space ids and trash keys.
 */

/**
 * The instance id Nextcloud and ownCloud append to a zero-padded file id in oc:id and the OC-FileId
 * header (Node::getFileId: sprintf('%08d', id) . instanceid; the recordings show
 * "00000009ocye4ob9rsb5").
 */
const INSTANCE_ID = 'ocs4lv4get5t';
export const sabreFileId = (id: number) => `${String(id).padStart(8, '0')}${INSTANCE_ID}`;

/** The personal space id of a user: "<storage id>$<space uuid>", like oCIS. */
export function ocisSpaceId(userId: string): string {
  // A project space's files live under a tree user whose id is the space id itself.
  if (userId.includes('$')) return userId;
  const hex = Buffer.from(userId, 'utf8').toString('hex').padEnd(12, '0').slice(0, 12);
  return `storage-users-1$4c510ada-c86b-4815-8820-${hex}`;
}

/** oCIS trash item keys are node uuids; ours are derived from the node id. */
export const ocisKey = (nodeId: number) => `a0b1c2d3-0000-4000-8000-${nodeId.toString(16).padStart(12, '0')}`;
