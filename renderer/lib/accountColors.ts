/**
 * One colour per account for the timeline, in the order the accounts are listed, distinct for
 * common colour-vision deficiencies (after Okabe & Ito), in a light and a dark set (the dark set
 * is lighter, to read on the dark panel).
 */
const LIGHT = ['#2f6fde', '#d55e00', '#009e73', '#cc79a7', '#b08900', '#56a0d3', '#8a5cc7', '#6b7280'];
const DARK = ['#6e9cf2', '#f08a3c', '#3cc99b', '#e39ac4', '#e6c454', '#7cc0ee', '#b18ef0', '#a0a5b2'];

export function accountColor(index: number, dark: boolean): string {
  const set = dark ? DARK : LIGHT;
  return set[((index % set.length) + set.length) % set.length]!;
}
