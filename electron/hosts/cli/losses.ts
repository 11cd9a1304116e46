import type { SameSecondReport, TrashItem } from '../../../shared/model';
import type { Context } from './context';

/** Same-second losses among these items as the server tells them; null when it tells nothing (or cannot be asked). */
export async function sameSecondOf(
  ctx: Context,
  accountId: string,
  items: TrashItem[],
): Promise<SameSecondReport | null> {
  if (items.length === 0) return null;
  const report = await ctx.services.trash.sameSecondLosses(accountId, items).catch(() => null);
  return report && report.source !== 'none' ? report : null;
}

/**
 * " · 23 of them stand for 52 same-named files deleted in one second: the server kept only the last of each (29 copies
 * lost)".
 */
export function lossSummary(report: SameSecondReport | null): string {
  const losses = report?.losses ?? [];
  if (losses.length === 0) return '';
  const lost = losses.reduce((n, l) => n + l.lost.length, 0);
  const atLeast = losses.some((l) => !l.complete) ? 'at least ' : '';
  return ` · ${losses.length} of them stand for ${atLeast}${losses.length + lost} same-named files deleted in the same second: the server kept only the last of each (${atLeast}${lost} ${lost === 1 ? 'copy' : 'copies'} lost)`;
}
