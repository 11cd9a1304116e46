/**
 * A running batch's pace as people read it, one rule for the batch card and the command line. Tested in
 * shared/pace.test.ts.
 */

const ONE_DECIMAL = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const WHOLE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** "12 items/s", "0.4 items/s"; null when not known. */
export function formatRate(rate: number | null | undefined): string | null {
  if (rate === null || rate === undefined || !Number.isFinite(rate) || rate <= 0) return null;
  return `${rate < 10 ? ONE_DECIMAL.format(rate) : WHOLE.format(rate)} items/s`;
}

/** "less than a minute left", "about 7 min left", "about 3 h 20 min left"; null when not known. */
export function formatTimeLeft(seconds: number | null | undefined): string | null {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return null;
  if (seconds < 60) return 'less than a minute left';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  if (hours >= 48) return `about ${Math.round(hours / 24)} days left`;
  const rest = minutes - hours * 60;
  return `about ${hours} h${rest ? ` ${rest} min` : ''} left`;
}

/** "12 items/s · about 7 min left", or what of it is known; null when nothing is. */
export function formatPace(rate: number | null | undefined, secondsLeft: number | null | undefined): string | null {
  const parts = [formatRate(rate), formatTimeLeft(secondsLeft)].filter((p): p is string => p !== null);
  return parts.length ? parts.join(' · ') : null;
}
