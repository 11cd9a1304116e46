/**
 * Sizes as people read them, one rule for the window, event summaries and the command line. Tested in
 * renderer/lib/format.test.ts.
 */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
/** Made once: toLocaleString with options builds a new formatter on every call. */
const ONE_DECIMAL = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** 1.2 GB style: decimal units, one decimal below 10, none for bytes; "—" when not known. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const rounded = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  if (rounded >= 1000 && unit < UNITS.length - 1) return `1 ${UNITS[unit + 1]}`;
  return `${ONE_DECIMAL.format(rounded)} ${UNITS[unit]}`;
}
