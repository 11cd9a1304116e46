/**
 * A small streaming XML tokenizer for WebDAV answers: namespaces resolved, entities and CDATA
 * decoded, comments, processing instructions and the doctype skipped. Not a validating parser: it
 * checks what a multistatus needs (tags close in order, prefixes are bound, attributes are
 * well-formed, references name XML characters, the body is complete) and throws on anything else
 * it cannot read.
 *
 * Why hand-written: it finds markup with String.indexOf instead of stepping a state machine
 * through every character. `npm run bench xml-parse` (bench/xml-parse.bench.ts: the real
 * Nextcloud 32 answer repeated to 50,000 items, 38 MB, in 64 KiB pieces) measures it against
 * saxes, the parser it replaced, which the differential tests (xmlScan.test.ts) keep as the
 * reference for what the events must be; the figures are in bench/results and the README.
 *
 * Bounded whatever the server sends (the tests in e2e/faults/hostile.test.ts hold it to this
 * through `stats`):
 * - Linear time: every character is searched, copied and decoded a bounded number of times. No
 *   regular expression that can backtrack; namespaces in one flat map (prefix → URI) with an undo
 *   list per element that declared any, never a chain of scopes; a token that does not end in
 *   one piece is carried over, and when the carried part is longer than the next piece it is kept
 *   as a list of pieces and only the new piece is searched for the token's end (never the whole
 *   token again).
 * - Bounded memory and work per token: XML_LIMITS (depth, tag and name length, attributes per
 *   element, text per element, comment/PI/doctype length); going past one throws an XmlError
 *   saying which limit and where.
 * - References to characters XML does not allow (&#0;, lone surrogates &#xD800;, &#xFFFE;, C0
 *   controls) and such characters sent raw are errors; DOCTYPE internal subsets (entity
 *   definitions) are refused, so no entity expansion of any kind.
 *
 * Its pure parts (the error, character rules, entity decoding, attributes and namespace
 * declarations, a start tag's end) are functions in xmlSyntax.ts, held to the same rules.
 */
import {
  allSpace,
  decodeXmlText,
  describeCode,
  fmt,
  isSpace,
  limitError,
  lineEnds,
  readAttributes,
  restoreNamespaces,
  show,
  tagEnd,
  XML_NS,
  XMLNS_NS,
  XmlError,
} from './xmlSyntax';

export { XmlError };

export interface XmlHandlers {
  open(uri: string, local: string): void;
  close(): void;
  text(text: string): void;
}

export interface XmlLimits {
  /** Elements open at once. */
  maxDepth: number;
  /** Characters in one start or end tag, '<' to '>' included. */
  maxTag: number;
  /** Characters in one element or attribute name. */
  maxName: number;
  /** Attributes on one element, namespace declarations included. */
  maxAttributes: number;
  /** Characters of text in one element between two of its tags (runs, references and CDATA together). */
  maxText: number;
  /** Characters in one comment, processing instruction or doctype. */
  maxMarkup: number;
}

/**
 * Far above anything Nextcloud, ownCloud or Infinite Scale send (depth ≤ 8, tags < 300 characters, names < 100, texts <
 * 5,000).
 */
export const XML_LIMITS: Readonly<XmlLimits> = Object.freeze({
  maxDepth: 256,
  maxTag: 64 * 1024,
  maxName: 1024,
  maxAttributes: 256,
  maxText: 1024 * 1024,
  maxMarkup: 64 * 1024,
});

/** What a scanner has done so far: the hostile-server suite bounds work and memory through these. */
export interface XmlScanStats {
  /** Characters written. */
  chars: number;
  /** Characters searched, copied or decoded (each operation on the text adds the span it covers). */
  steps: number;
  /** Most characters held between two writes (an unfinished token). */
  maxHeld: number;
  /** Deepest element nesting seen. */
  maxDepth: number;
}

/**
 * Characters XML 1.0 does not allow anywhere in a document (C0 controls but tab, LF and CR;
 * U+FFFE, U+FFFF). One character class, no quantifier: a single pass, nothing to backtrack.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

// What an unfinished token at the end of a write is.
const TEXT = 1;
const START_TAG = 2;
const END_TAG = 3;
const COMMENT = 4;
const CDATA = 5;
const PI = 6;
const DOCTYPE = 7;
const UNKNOWN = 8; // '<' or '<!' too short to tell yet

type Kind =
  | typeof TEXT
  | typeof START_TAG
  | typeof END_TAG
  | typeof COMMENT
  | typeof CDATA
  | typeof PI
  | typeof DOCTYPE
  | typeof UNKNOWN;

const KIND_NAME: Record<Kind, string> = {
  [TEXT]: 'text',
  [START_TAG]: 'a start tag',
  [END_TAG]: 'an end tag',
  [COMMENT]: 'a comment',
  [CDATA]: 'a CDATA section',
  [PI]: 'a processing instruction',
  [DOCTYPE]: 'the doctype',
  [UNKNOWN]: 'markup',
};

function kindOf(s: string): Kind {
  if (s.charCodeAt(0) !== 0x3c) return TEXT;
  if (s.length < 2) return UNKNOWN;
  const c = s.charCodeAt(1);
  if (c === 0x2f) return END_TAG;
  if (c === 0x3f) return PI;
  if (c !== 0x21) return START_TAG;
  if (s.startsWith('<!--')) return COMMENT;
  if (s.startsWith('<![CDATA[')) return CDATA;
  if (s.startsWith('<!DOCTYPE')) return DOCTYPE;
  return s.length < 9 && ('<![CDATA['.startsWith(s) || '<!DOCTYPE'.startsWith(s) || '<!--'.startsWith(s))
    ? UNKNOWN
    : DOCTYPE;
}

/** Carried text shorter than this is always joined to the next piece (enough to tell any token's kind). */
const SMALL = 16;

export class XmlScanner {
  readonly stats: XmlScanStats = { chars: 0, steps: 0, maxHeld: 0, maxDepth: 0 };
  private readonly limits: XmlLimits;
  /** An unfinished token carried from the last write, when short. */
  private carry = '';
  /** An unfinished token held as pieces (when longer than the piece that followed it). */
  private pendKind: Kind | 0 = 0;
  private pend: string[] = [];
  private pendLen = 0;
  /**
   * Start tag: the quote we are inside (0: none). Comment, CDATA, PI: the last characters, for a terminator split
   * across pieces.
   */
  private pendQuote = 0;
  private pendTail = '';
  /** Prefix → namespace URI, as bound where the scanner is now. */
  private readonly ns = new Map<string, string>([
    ['xml', XML_NS],
    ['xmlns', XMLNS_NS],
  ]);
  /** Per open element: [prefix, previous URI or undefined, …] when it declared namespaces, else null. */
  private readonly undo: (Array<string | undefined> | null)[] = [];
  private readonly names: string[] = [];
  /** Text characters in the current element since its last tag. */
  private textLen = 0;
  private sawRoot = false;
  private closedRoot = false;

  constructor(
    private readonly on: XmlHandlers,
    limits: Partial<XmlLimits> = {},
  ) {
    this.limits = { ...XML_LIMITS, ...limits };
  }

  write(chunk: string): void {
    if (!chunk) return;
    const stats = this.stats;
    stats.chars += chunk.length;
    stats.steps += chunk.length;
    if (NOT_XML.test(chunk)) {
      const at = chunk.search(NOT_XML);
      throw new XmlError(
        `The body contains ${describeCode(chunk.charCodeAt(at))} (character ${fmt(stats.chars - chunk.length + at)}), which XML does not allow`,
      );
    }
    let buf = chunk;
    let from = 0;
    if (this.pendKind) {
      from = this.continuePending(chunk);
      if (from === -1) return;
    } else if (this.carry) {
      const carry = this.carry;
      this.carry = '';
      if (carry.length <= Math.max(chunk.length, SMALL)) {
        // Searched again with the new piece: at most as much work again as the piece itself.
        buf = carry + chunk;
        stats.steps += carry.length;
      } else {
        this.enterPending(carry);
        from = this.continuePending(chunk);
        if (from === -1) return;
      }
    }
    this.scan(buf, from);
  }

  end(): void {
    if (this.pendKind) throw new XmlError(`The body ended inside ${KIND_NAME[this.pendKind]}`);
    if (this.carry) {
      const kind = kindOf(this.carry);
      if (kind !== TEXT) throw new XmlError(`The body ended inside ${KIND_NAME[kind]}`);
      this.textRun(this.carry);
      this.carry = '';
    }
    if (this.names.length) throw new XmlError(`The body ended with <${this.names[this.names.length - 1]}> still open`);
    if (!this.sawRoot) throw new XmlError('Empty XML body');
  }

  private scan(buf: string, pos: number): void {
    const n = buf.length;
    const stats = this.stats;
    while (pos < n) {
      const lt = buf.indexOf('<', pos);
      if (lt === -1) {
        stats.steps += n - pos;
        break; // text to the end: kept until its '<' (an entity may be split across pieces)
      }
      stats.steps += lt - pos;
      if (lt > pos) this.textRun(buf.slice(pos, lt));
      pos = lt;
      const next = buf.charCodeAt(lt + 1);
      let end: number;
      if (next === 0x2f /* / */) {
        end = buf.indexOf('>', lt + 2);
        if (end === -1) break;
        this.endTag(buf, lt, end);
        pos = end + 1;
      } else if (next === 0x21 /* ! */) {
        if (buf.startsWith('<!--', lt)) {
          end = buf.indexOf('-->', lt + 4);
          if (end === -1) break;
          this.markup(end + 3 - lt);
          pos = end + 3;
        } else if (buf.startsWith('<![CDATA[', lt)) {
          end = buf.indexOf(']]>', lt + 9);
          if (end === -1) break;
          this.cdata(buf.slice(lt + 9, end));
          pos = end + 3;
        } else if (buf.startsWith('<!DOCTYPE', lt)) {
          end = buf.indexOf('>', lt);
          if (end === -1) break;
          this.doctype(buf, lt, end);
          pos = end + 1;
        } else if (kindOf(buf.slice(lt, lt + 9)) === UNKNOWN) {
          break; // not enough to tell what it is yet
        } else {
          throw new XmlError(`Unexpected markup ${show(buf.slice(lt, lt + 12))}`);
        }
      } else if (next === 0x3f /* ? */) {
        end = buf.indexOf('?>', lt + 2);
        if (end === -1) break;
        this.markup(end + 2 - lt);
        pos = end + 2;
      } else if (Number.isNaN(next)) {
        break; // '<' is the last character: wait for more
      } else {
        end = tagEnd(buf, lt + 1, this.stats);
        if (end === -1) break;
        this.startTag(buf, lt + 1, end);
        pos = end + 1;
      }
    }
    if (pos < n) {
      // An unfinished token: carried to the next write, unless it is already past its limit.
      const rest = buf.slice(pos);
      stats.steps += rest.length;
      this.checkHeld(kindOf(rest), rest.length);
      this.carry = rest;
      if (rest.length > stats.maxHeld) stats.maxHeld = rest.length;
    }
  }

  /** Throws when an unfinished token of `kind` already holds more than its limit allows. */
  private checkHeld(kind: Kind, length: number): void {
    const l = this.limits;
    switch (kind) {
      case TEXT:
        if (this.textLen + length > l.maxText)
          throw this.limit(`more than ${fmt(l.maxText)} characters of text in one element`);
        break;
      case CDATA:
        if (this.textLen + length - 9 > l.maxText)
          throw this.limit(`more than ${fmt(l.maxText)} characters of text in one element`);
        break;
      case START_TAG:
      case END_TAG:
        if (length > l.maxTag) throw this.limit(`a tag longer than ${fmt(l.maxTag)} characters`);
        break;
      case COMMENT:
      case PI:
      case DOCTYPE:
      case UNKNOWN:
        if (length > l.maxMarkup) throw this.limit(`${KIND_NAME[kind]} longer than ${fmt(l.maxMarkup)} characters`);
        break;
    }
  }

  private limit(what: string): XmlError {
    return limitError(what, this.stats.chars);
  }

  /** Starts holding a long unfinished token as pieces: works out where its end search stands. */
  private enterPending(carry: string): void {
    const kind = kindOf(carry);
    // Longer than SMALL, so its kind is known (UNKNOWN is at most 8 characters).
    if (kind === UNKNOWN) throw new Error('unreachable: an undetermined token longer than SMALL');
    this.checkHeld(kind, carry.length);
    this.pendKind = kind;
    this.pend = kind === COMMENT || kind === PI || kind === DOCTYPE ? [] : [carry];
    this.pendLen = carry.length;
    this.pendQuote = 0;
    this.pendTail = carry.slice(-2);
    this.stats.steps += carry.length;
    if (kind === START_TAG) {
      // Which quote (if any) the carried part ends inside.
      for (let i = 1; i < carry.length; i++) {
        const c = carry.charCodeAt(i);
        if (this.pendQuote) {
          if (c === this.pendQuote) this.pendQuote = 0;
        } else if (c === 0x22 || c === 0x27) this.pendQuote = c;
      }
    } else if (kind === DOCTYPE && carry.includes('[')) {
      throw new XmlError('A doctype with an internal subset (entity definitions) is not read');
    }
  }

  /**
   * Feeds a piece to the held token: searches only this piece for its end. Returns where scanning
   * goes on in the piece once the token is complete (and handled), or -1 when it is not yet.
   */
  private continuePending(chunk: string): number {
    const stats = this.stats;
    const kind = this.pendKind as Kind;
    let at = -1; // index in chunk just past the token's end
    switch (kind) {
      case TEXT: {
        const lt = chunk.indexOf('<');
        at = lt; // the '<' belongs to the next token
        stats.steps += lt === -1 ? chunk.length : lt;
        break;
      }
      case END_TAG:
      case DOCTYPE: {
        const gt = chunk.indexOf('>');
        stats.steps += gt === -1 ? chunk.length : gt + 1;
        if (kind === DOCTYPE && (gt === -1 ? chunk : chunk.slice(0, gt)).includes('['))
          throw new XmlError('A doctype with an internal subset (entity definitions) is not read');
        at = gt === -1 ? -1 : gt + 1;
        break;
      }
      case START_TAG: {
        let q = this.pendQuote;
        let i = 0;
        const n = chunk.length;
        while (i < n) {
          if (q) {
            const close = chunk.indexOf(q === 0x22 ? '"' : "'", i);
            if (close === -1) {
              i = n;
              break;
            }
            q = 0;
            i = close + 1;
            continue;
          }
          const c = chunk.charCodeAt(i);
          if (c === 0x3e) break;
          if (c === 0x22 || c === 0x27) q = c;
          i++;
        }
        stats.steps += Math.min(i + 1, n);
        this.pendQuote = q;
        at = i < n ? i + 1 : -1;
        break;
      }
      case COMMENT:
      case CDATA:
      case PI: {
        const terminator = kind === COMMENT ? '-->' : kind === CDATA ? ']]>' : '?>';
        const tail = this.pendTail;
        const joined = tail + chunk;
        const found = joined.indexOf(terminator);
        stats.steps += joined.length;
        at = found === -1 ? -1 : found - tail.length + terminator.length;
        if (found === -1) this.pendTail = joined.slice(-2);
        break;
      }
    }
    if (at === -1) {
      this.pendLen += chunk.length;
      if (kind !== COMMENT && kind !== PI && kind !== DOCTYPE) {
        this.pend.push(chunk);
        if (this.pendLen > stats.maxHeld) stats.maxHeld = this.pendLen;
      }
      this.checkHeld(kind, this.pendLen);
      return -1;
    }
    // The token is complete: put it together once and handle it.
    const length = this.pendLen + at;
    this.checkHeld(kind, kind === TEXT ? length : kind === CDATA ? length - 3 : length);
    const pieces = this.pend;
    this.pendKind = 0;
    this.pend = [];
    this.pendLen = 0;
    switch (kind) {
      case TEXT: {
        pieces.push(chunk.slice(0, at));
        const raw = pieces.join('');
        stats.steps += raw.length;
        this.textRun(raw);
        break;
      }
      case START_TAG:
      case END_TAG: {
        pieces.push(chunk.slice(0, at));
        const tag = pieces.join('');
        stats.steps += tag.length;
        if (kind === END_TAG) this.endTag(tag, 0, tag.length - 1);
        else this.startTag(tag, 1, tag.length - 1);
        break;
      }
      case CDATA: {
        pieces.push(chunk.slice(0, at));
        const whole = pieces.join('');
        stats.steps += whole.length;
        this.cdata(whole.slice(9, -3));
        break;
      }
      default:
        this.markup(length);
        if (kind === DOCTYPE && this.sawRoot) throw new XmlError('A doctype after the root element');
    }
    return at;
  }

  private markup(length: number): void {
    if (length > this.limits.maxMarkup) throw this.limit(`markup longer than ${fmt(this.limits.maxMarkup)} characters`);
  }

  private doctype(buf: string, lt: number, end: number): void {
    this.markup(end + 1 - lt);
    if (this.sawRoot) throw new XmlError('A doctype after the root element');
    const bracket = buf.indexOf('[', lt);
    this.stats.steps += end - lt;
    if (bracket !== -1 && bracket < end)
      throw new XmlError('A doctype with an internal subset (entity definitions) is not read');
  }

  private textRun(raw: string): void {
    this.stats.steps += raw.length;
    if (!this.names.length) {
      if (!allSpace(raw, 0, raw.length))
        throw new XmlError(this.sawRoot ? 'Text after the root element' : 'Text before the root element');
      return;
    }
    this.textLen += raw.length;
    if (this.textLen > this.limits.maxText)
      throw this.limit(`more than ${fmt(this.limits.maxText)} characters of text in one element`);
    this.on.text(decodeXmlText(raw));
  }

  private cdata(content: string): void {
    if (!this.names.length) throw new XmlError('CDATA outside the root element');
    this.stats.steps += content.length;
    this.textLen += content.length;
    if (this.textLen > this.limits.maxText)
      throw this.limit(`more than ${fmt(this.limits.maxText)} characters of text in one element`);
    this.on.text(lineEnds(content));
  }

  /** A start tag: s[from - 1] is '<', s[to] is '>'. */
  private startTag(s: string, from: number, to: number): void {
    const limits = this.limits;
    if (to - from + 2 > limits.maxTag) throw this.limit(`a tag longer than ${fmt(limits.maxTag)} characters`);
    const selfClosing = s.charCodeAt(to - 1) === 0x2f;
    const end = selfClosing ? to - 1 : to;
    let i = from;
    while (i < end && !isSpace(s.charCodeAt(i))) i++;
    this.stats.steps += to - from;
    if (i === from) throw new XmlError('An element without a name');
    if (i - from > limits.maxName) throw this.limit(`a name longer than ${fmt(limits.maxName)} characters`);
    const name = s.slice(from, i);
    if (this.closedRoot || (!this.names.length && this.sawRoot)) throw new XmlError('A second root element');
    if (this.names.length >= limits.maxDepth)
      throw this.limit(`elements nested deeper than ${fmt(limits.maxDepth)} levels`);
    const undo = i < end ? readAttributes(s, i, end, this.ns, limits, this.stats) : null;
    const { uri, local } = resolveElement(name, this.ns, undo);
    this.sawRoot = true;
    this.names.push(name);
    this.undo.push(undo);
    if (this.names.length > this.stats.maxDepth) this.stats.maxDepth = this.names.length;
    this.textLen = 0;
    this.on.open(uri, local);
    if (selfClosing) this.closeElement();
  }

  /** An end tag: s[lt] is '<', s[end] is '>'. */
  private endTag(s: string, lt: number, end: number): void {
    this.stats.steps += end - lt;
    if (end + 1 - lt > this.limits.maxTag) throw this.limit(`a tag longer than ${fmt(this.limits.maxTag)} characters`);
    const open = this.names[this.names.length - 1];
    const name = s.slice(lt + 2, end);
    // XML allows white space after the name (`</a >`), nothing else.
    if (name !== open && (open === undefined || name.trimEnd() !== open)) {
      throw new XmlError(
        open === undefined
          ? `Unexpected </${show(name).slice(1, -1)}>`
          : `</${show(name).slice(1, -1)}> closes <${open}>`,
      );
    }
    this.closeElement();
  }

  private closeElement(): void {
    this.names.pop();
    const undo = this.undo.pop();
    if (undo) restoreNamespaces(this.ns, undo);
    this.textLen = 0;
    this.on.close();
    if (!this.names.length) this.closedRoot = true;
  }
}

/**
 * An element's namespace URI and local name, from its qualified name and the bindings in scope; on an
 * unbound prefix or a malformed name, puts back what its own start tag declared (`undo`) and throws.
 */
function resolveElement(
  name: string,
  ns: Map<string, string>,
  undo: Array<string | undefined> | null,
): { uri: string; local: string } {
  const colon = name.indexOf(':');
  if (colon === -1) return { uri: ns.get('') ?? '', local: name };
  const local = name.slice(colon + 1);
  const prefix = name.slice(0, colon);
  const uri = ns.get(prefix);
  if (uri === undefined || colon === 0 || !local || local.includes(':')) {
    if (undo) restoreNamespaces(ns, undo);
    throw new XmlError(
      uri === undefined && colon > 0
        ? `Unbound namespace prefix ${show(prefix)}`
        : `Malformed element name ${show(name)}`,
    );
  }
  return { uri, local };
}
