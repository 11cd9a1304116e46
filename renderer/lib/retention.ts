import type { AccountKind } from '../../shared/model';

const DAY = 86_400_000;

/** Made once: toLocaleDateString with options builds a formatter per call (~0.1 ms), and the list calls this for every row that comes on screen. */
const MEDIUM_DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/**
 * What can honestly be said about when a server deletes a trashed item for good when it gives no
 * date. Nextcloud and ownCloud 10 keep the policy in config.php (`trashbin_retention_obligation`),
 * which neither tells anyone over its API (capabilities say only `undelete`; nextcloud/server
 * #63083 asks for it); its default, "auto", keeps items at least 30 days and deletes older ones
 * whenever space is needed. Pure; tested in retention.test.ts.
 */
export function retentionNote(kind: AccountKind, deletedAt: string | null): { short: string; long: string } {
  switch (kind) {
    case 'nextcloud':
    case 'owncloud10': {
      const product = kind === 'nextcloud' ? 'Nextcloud' : 'ownCloud';
      const t = deletedAt ? Date.parse(deletedAt) : NaN;
      const from = Number.isNaN(t) ? '30 days after deletion' : MEDIUM_DATE.format(t + 30 * DAY);
      return {
        short: 'unknown',
        long: `Unknown: ${product} does not say. By default ("auto") kept until at least ${from}, then deleted when space is needed; an administrator may have set other limits.`,
      };
    }
    case 'ocis':
      return { short: 'unknown', long: 'Unknown: Infinite Scale does not tell when it purges its trash (an administrator sets it).' };
    case 'docspace':
      return { short: 'unknown', long: 'Unknown: DocSpace gives no date for this item (automatic emptying may be off).' };
  }
}
