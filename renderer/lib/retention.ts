import type { AccountKind } from '../../shared/model';
import { kindInfo } from '../../shared/kinds';

const DAY = 86_400_000;

/**
 * Made once: toLocaleDateString with options builds a formatter per call (~0.1 ms), and the list calls this for every
 * row that comes on screen.
 */
const MEDIUM_DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/**
 * What can honestly be said about when a server deletes a trashed item for good when it gives no
 * date. Nextcloud and ownCloud 10 keep the policy in config.php (`trashbin_retention_obligation`),
 * which neither tells anyone over its API (capabilities say only `undelete`; nextcloud/server
 * #63083 asks for it); its default, "auto", keeps items at least 30 days and deletes older ones
 * whenever space is needed. Each kind's wording is in the kind registry (shared/kinds.ts). Pure;
 * tested in retention.test.ts.
 */
export function retentionNote(kind: AccountKind, deletedAt: string | null): { short: string; long: string } {
  const { retention, productName: product } = kindInfo(kind);
  if (retention.policy === 'unsaid') return { short: 'unknown', long: retention.text };
  const t = deletedAt ? Date.parse(deletedAt) : NaN;
  const from = Number.isNaN(t) ? '30 days after deletion' : MEDIUM_DATE.format(t + 30 * DAY);
  return {
    short: 'unknown',
    long: `Unknown: ${product} does not say. By default ("auto") kept until at least ${from}, then deleted when space is needed; an administrator may have set other limits.`,
  };
}
