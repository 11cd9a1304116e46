/**
 * The pure parts of XmlScanner (xmlScan.ts), as functions: its error, the characters XML allows,
 * entity and character-reference decoding, a start tag's attributes and namespace declarations, and
 * the search for a start tag's end. They keep xmlScan.ts's rules (linear time, bounded work per
 * token, every span searched or copied counted in `stats.steps`); the benchmark its header cites
 * (bench/xml-parse.bench.ts) measures them with it.
 */

/** The counters of XmlScanStats these functions add to. */
interface Steps {
  chars: number;
  steps: number;
}

/** The limits of XmlLimits that attributes are held to. */
interface AttributeLimits {
  maxName: number;
  maxAttributes: number;
}

/** The body is not XML this tokenizer reads, or goes past one of its limits (`limit`). */
export class XmlError extends Error {
  constructor(
    message: string,
    readonly limit = false,
  ) {
    super(message);
    this.name = 'XmlError';
  }
}

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';
export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** Shows at most 40 characters of server text in a message. */
export const show = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
export const fmt = (n: number) => n.toLocaleString('en-US');

/** An XmlError for going past a limit, saying where (`chars`: characters written so far). */
export const limitError = (what: string, chars: number) =>
  new XmlError(`The answer goes past a limit: ${what} (at character ${fmt(chars)})`, true);

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Whether XML 1.0 allows this code point (the Char production). */
const isXmlChar = (c: number) =>
  (c >= 0x20 && c <= 0xd7ff) ||
  c === 0x9 ||
  c === 0xa ||
  c === 0xd ||
  (c >= 0xe000 && c <= 0xfffd) ||
  (c >= 0x10000 && c <= 0x10ffff);

export function describeCode(c: number): string {
  if (c === 0) return 'NUL';
  if (c >= 0xd800 && c <= 0xdfff) return 'a lone surrogate';
  return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Line ends as XML reads them: CR LF and lone CR become LF (split and join: ~3× cheaper than replaceAll on a text of
 * CRs).
 */
export const lineEnds = (s: string) => (s.indexOf('\r') === -1 ? s : s.split('\r\n').join('\n').split('\r').join('\n'));

/**
 * Decodes the five named entities and character references and normalises line ends as XML
 * does (in an attribute value, also tabs and line ends to spaces). Hand-written: one pass, each
 * reference read character by character (at most the digits it has), so no input makes it slower
 * than linear.
 */
export function decodeXmlText(raw: string, attribute = false): string {
  let s = lineEnds(raw);
  if (attribute && (s.indexOf('\n') !== -1 || s.indexOf('\t') !== -1))
    s = s.replaceAll('\n', ' ').replaceAll('\t', ' ');
  let amp = s.indexOf('&');
  if (amp === -1) return s;
  let out = '';
  let from = 0;
  while (amp !== -1) {
    out += s.slice(from, amp);
    let i = amp + 1;
    if (s.charCodeAt(i) === 0x23 /* # */) {
      const hex = s.charCodeAt(i + 1) === 0x78; /* x */
      i += hex ? 2 : 1;
      const digitsAt = i;
      let code = 0;
      for (;;) {
        const c = s.charCodeAt(i);
        let v: number;
        if (c >= 0x30 && c <= 0x39) v = c - 0x30;
        else if (hex && c >= 0x61 && c <= 0x66) v = c - 0x57;
        else if (hex && c >= 0x41 && c <= 0x46) v = c - 0x37;
        else break;
        code = code * (hex ? 16 : 10) + v;
        if (code > 0x10ffff) throw new XmlError(`Character reference ${show(s.slice(amp, i + 1))} is beyond Unicode`);
        i++;
      }
      if (i === digitsAt || s.charCodeAt(i) !== 0x3b /* ; */)
        throw new XmlError(`Malformed character reference ${show(s.slice(amp, i + 1))}`);
      if (!isXmlChar(code))
        throw new XmlError(
          `Character reference ${s.slice(amp, i + 1)} names ${describeCode(code)}, which XML does not allow`,
        );
      out += String.fromCodePoint(code);
    } else {
      // Named: one of five, at most four letters.
      while (i < s.length && i - amp <= 5) {
        const c = s.charCodeAt(i);
        if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a))) break;
        i++;
      }
      const name = s.slice(amp + 1, i);
      if (s.charCodeAt(i) !== 0x3b || !name)
        throw new XmlError(
          name ? `Unknown entity or missing ";" after ${show(s.slice(amp, i + 1))}` : 'Bare "&" in text',
        );
      const named = NAMED[name];
      if (named === undefined) throw new XmlError(`Unknown entity &${name};`);
      out += named;
    }
    from = i + 1;
    amp = s.indexOf('&', from);
  }
  return out + s.slice(from);
}

export const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

export function allSpace(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isSpace(s.charCodeAt(i))) return false;
  return true;
}

/**
 * The '>' that ends a start tag beginning at `from`, skipping any inside quoted attribute values; -1 when not in the
 * text yet.
 */
export function tagEnd(buf: string, from: number, stats: Steps): number {
  const end = buf.indexOf('>', from);
  if (end === -1) {
    stats.steps += buf.length - from;
    return -1;
  }
  // Fast path: no quote before it (looked for in the tag only, never in the rest of the body).
  let j = from;
  for (; j < end; j++) {
    const c = buf.charCodeAt(j);
    if (c === 0x22 || c === 0x27) break;
  }
  stats.steps += end - from + (j - from);
  if (j === end) return end;
  // Quoted values: step over each, from the first quote.
  let i = j;
  const n = buf.length;
  while (i < n) {
    const c = buf.charCodeAt(i);
    if (c === 0x22 || c === 0x27) {
      const close = buf.indexOf(c === 0x22 ? '"' : "'", i + 1);
      if (close === -1) {
        stats.steps += n - j;
        return -1;
      }
      i = close + 1;
      continue;
    }
    if (c === 0x3e) break;
    i++;
  }
  stats.steps += i - j;
  return i < n ? i : -1;
}

/**
 * Reads the attributes of a start tag (s[from..to) is what follows the name): name = "value"
 * pairs, separated by white space, each name once; binds the namespaces it declares. Returns the
 * undo list for those bindings, or null.
 */
export function readAttributes(
  s: string,
  from: number,
  to: number,
  ns: Map<string, string>,
  limits: AttributeLimits,
  stats: Steps,
): Array<string | undefined> | null {
  let undo: Array<string | undefined> | null = null;
  let seen: Set<string> | null = null;
  let prefixed: string[] | null = null;
  let first = '';
  let count = 0;
  let i = from;
  try {
    for (;;) {
      const before = i;
      while (i < to && isSpace(s.charCodeAt(i))) i++;
      if (i >= to) break;
      if (i === before) throw new XmlError('Attributes must be separated by white space');
      const start = i;
      while (i < to) {
        const c = s.charCodeAt(i);
        if (c === 0x3d || isSpace(c) || c === 0x22 || c === 0x27 || c === 0x3c) break;
        i++;
      }
      if (i === start) throw new XmlError(`Malformed attribute at ${show(s.slice(start, start + 20))}`);
      if (i - start > limits.maxName)
        throw limitError(`a name longer than ${fmt(limits.maxName)} characters`, stats.chars);
      const name = s.slice(start, i);
      while (i < to && isSpace(s.charCodeAt(i))) i++;
      if (s.charCodeAt(i) !== 0x3d) throw new XmlError(`Attribute ${show(name)} without a value`);
      i++;
      while (i < to && isSpace(s.charCodeAt(i))) i++;
      const q = s.charCodeAt(i);
      if (q !== 0x22 && q !== 0x27) throw new XmlError(`Attribute ${show(name)} without a quoted value`);
      const close = s.indexOf(q === 0x22 ? '"' : "'", i + 1);
      if (close === -1 || close >= to) throw new XmlError(`Attribute ${show(name)} without the end of its value`);
      const raw = s.slice(i + 1, close);
      i = close + 1;
      if (++count > limits.maxAttributes)
        throw limitError(`more than ${fmt(limits.maxAttributes)} attributes on one element`, stats.chars);
      if (count === 1) first = name;
      else {
        if (!seen) seen = new Set([first]);
        if (seen.has(name)) throw new XmlError(`Attribute ${show(name)} given twice`);
        seen.add(name);
      }
      if (raw.includes('<')) throw new XmlError(`"<" in the value of attribute ${show(name)}`);
      const value = decodeXmlText(raw, true);
      if (name === 'xmlns' || name.startsWith('xmlns:')) {
        // Trimmed, as saxes (the reference) does: a URI holds no spaces.
        const uri = value.trim();
        const prefix = name === 'xmlns' ? '' : name.slice(6);
        if (
          prefix === 'xmlns' ||
          (prefix === 'xml') !== (uri === XML_NS) ||
          uri === XMLNS_NS ||
          (prefix && !uri) ||
          prefix.includes(':')
        ) {
          throw new XmlError(`Namespace declaration ${name}=${show(value)} is not allowed`);
        }
        undo ??= [];
        undo.push(prefix, ns.get(prefix));
        ns.set(prefix, uri);
      } else if (name.includes(':')) {
        (prefixed ??= []).push(name);
      }
    }
    stats.steps += 2 * (to - from);
    if (prefixed) {
      for (const name of prefixed) {
        const prefix = name.slice(0, name.indexOf(':'));
        if (!ns.has(prefix)) throw new XmlError(`Unbound namespace prefix ${show(prefix)} on attribute ${show(name)}`);
      }
    }
  } catch (e) {
    if (undo) restoreNamespaces(ns, undo);
    throw e;
  }
  return undo;
}

/** Takes back an element's namespace declarations, last first. */
export function restoreNamespaces(ns: Map<string, string>, undo: Array<string | undefined>): void {
  for (let k = undo.length - 2; k >= 0; k -= 2) {
    const prefix = undo[k]!;
    const previous = undo[k + 1];
    if (previous === undefined) ns.delete(prefix);
    else ns.set(prefix, previous);
  }
}
