import { NS, type DavResponse } from './multistatus';
import { readAttributes, XML_NS, XMLNS_NS } from './xmlSyntax';
import { XML_LIMITS } from './xmlScan';
import { asBuffer, GiveUp, giveUp, isWs, latin1, ResponseReader } from './trashFastResponse';

/**
 * The listing worker's fast path: reads a trash PROPFIND answer (a WebDAV multistatus) straight
 * from the bytes as they arrive and hands out each <d:response> as the same DavResponse the full
 * parser (MultistatusParser over XmlScanner) makes, for the same dialect code to turn into items.
 *
 * Why hand-written: the full parser decodes the whole body to a UTF-16 string, tokenizes it and
 * makes an event per tag and text; on the 100k-item Nextcloud answer (84 MB) that was ~2.4 s of
 * the worker's time, most of `list100k_ms` (3.8 s against a wire floor of 0.22 s). `npm run bench
 * xml-parse` (bench/xml-parse.bench.ts) measures both on a Nextcloud-shaped listing: listing parse
 * 35 MB/s before this file; the figures with it are in bench/results and the README. It looks only
 * at bytes: tag names are matched by a hash of their bytes (checked byte for byte), and only the
 * texts the multistatus keeps (href, status, property values) become strings.
 *
 * What it reads is a strict subset of XML, the shape Nextcloud, ownCloud and Infinite Scale send:
 * an optional ASCII XML declaration, a root <multistatus> in DAV: whose start tag only declares
 * namespaces, then responses made of tags without attributes or white space inside (`<p:name>`,
 * `<p:name/>`, `</p:name>`), text without markup, and white space between responses. Anything else
 * (a namespace declared below the root, an attribute, a comment, CDATA, a processing instruction,
 * a doctype, a BOM, a control character, text it cannot decode exactly as the full parser does, a
 * response longer than FAST_HOLD bytes, a name it does not know the namespace of, going past a
 * limit of the full parser) makes it give up: `write` and `end` then return the bytes the full
 * parser must read from there, which are the root's start tag and everything from the first byte
 * of the response (or the root's end tag) that was not handed out yet. The full parser reads those
 * from a state identical to the one it would have been in (inside the root, between responses,
 * the root's namespaces bound), so the items are the same as its own, and its errors and limits
 * apply as before (only the character positions in its messages differ). The differential tests
 * (trashFast.test.ts) hold it to giving the full parser's items or giving up.
 *
 * Bounded: every byte is looked at a bounded number of times (the end of an unfinished response
 * is searched for in the new piece only; a response is parsed once, when complete); it holds at
 * most FAST_HOLD bytes of an unfinished response and HEAD_HOLD of the prolog; names are cached
 * for at most MAX_NAMES distinct names; `steps` counts the bytes searched, copied and parsed.
 */

/** An unfinished response held longer than this goes to the full parser (real ones are < 4 KB). */
export const FAST_HOLD = 32 * 1024;
/** The prolog and the root's start tag (Nextcloud's: 160 bytes). */
const HEAD_HOLD = 16 * 1024;
/** White space between two responses (the root's text, limited by the full parser): beyond this, handed over. */
const SPACE_HOLD = 64 * 1024;

const HEAD = 0;
const BODY = 1;
const AFTER = 2;

export interface FastStats {
  /** Bytes written. */
  chars: number;
  steps: number;
  maxHeld: number;
  maxDepth: number;
}

export class FastMultistatus {
  readonly stats: FastStats = { chars: 0, steps: 0, maxHeld: 0, maxDepth: 0 };
  /** Why it gave up (tests, logs), once it did. */
  gaveUp: string | null = null;
  private phase = HEAD;
  /** The prolog and the root's start tag (while in HEAD: every byte so far). */
  private head: Buffer = Buffer.alloc(0);
  private reader: ResponseReader | null = null;
  private openTag: Buffer = Buffer.alloc(0);
  private closeTag: Buffer = Buffer.alloc(0);
  private rootClose: Buffer = Buffer.alloc(0);
  /** An unfinished response (or the start of a tag between responses): pieces held. */
  private held: Buffer[] = [];
  private heldLen = 0;
  /** The held bytes are a response whose start tag is complete (its end is searched for in new pieces only). */
  private inResponse = false;
  /** The last bytes held, for an end tag split across pieces. */
  private tail: Buffer = Buffer.alloc(0);
  /** The part of the current piece not handed out yet, from the point the full parser would resume at. */
  private pending: Buffer | null = null;
  /** White space read between responses since the last tag. */
  private space = 0;

  constructor(private readonly onResponse: (r: DavResponse) => void) {}

  /** Reads a piece; returns null, or (having given up) the bytes the full parser must read from here. */
  write(chunk: Uint8Array): Buffer[] | null {
    if (!chunk.byteLength) return null;
    const buf = asBuffer(chunk);
    this.stats.chars += buf.length;
    this.stats.steps += buf.length;
    try {
      if (this.phase === HEAD) this.readHead(buf);
      else this.readBody(buf);
      this.pending = null;
      return null;
    } catch (e) {
      if (e instanceof GiveUp) return this.surrender(e.why);
      throw e;
    }
  }

  /**
   * The body ended: null when it was a complete multistatus read here, else the bytes the full parser must read (it
   * then says what is wrong).
   */
  end(): Buffer[] | null {
    if (this.phase === AFTER && !this.heldLen) return null;
    return this.surrender(this.phase === HEAD ? 'the body ended in its prolog' : 'the body ended early');
  }

  /** Gives up: the prolog again, then the bytes from the resumption point. */
  private surrender(why: string): Buffer[] {
    this.gaveUp = why;
    const out: Buffer[] = [this.head];
    if (this.phase !== HEAD) {
      if (this.phase === AFTER) out.push(this.rootClose);
      // The white space read since the last tag (as spaces): the full parser counts it as the root's text.
      if (this.space) out.push(Buffer.alloc(this.space, 0x20));
      out.push(...this.held);
      if (this.pending?.length) out.push(this.pending);
    }
    this.held = [];
    this.heldLen = 0;
    this.pending = null;
    return out;
  }

  /** Collects the prolog and the root's start tag, then reads the body after it. */
  private readHead(buf: Buffer): void {
    const head = (this.head = this.head.length ? Buffer.concat([this.head, buf]) : buf);
    // ASCII only, no doctype or comment: then bytes and characters are the same.
    let end = -1;
    let inDecl = false;
    let rootAt = -1;
    let quote = 0;
    for (let i = 0; i < head.length; i++) {
      const c = head[i]!;
      if (i >= HEAD_HOLD) giveUp('a long prolog');
      if (c >= 0x80 || (c < 0x20 && !isWs(c))) giveUp('a prolog that is not plain ASCII');
      if (rootAt === -1) {
        if (inDecl) {
          if (c === 0x3e && head[i - 1] === 0x3f) inDecl = false;
          continue;
        }
        if (isWs(c)) continue;
        if (c !== 0x3c) giveUp('text before the root');
        if (i + 1 >= head.length) return;
        const next = head[i + 1]!;
        if (next === 0x3f) {
          if (i !== 0) giveUp('a processing instruction in the prolog');
          inDecl = true;
          i++;
          continue;
        }
        if (next === 0x21 || next === 0x2f) giveUp('markup in the prolog');
        rootAt = i;
        continue;
      }
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === 0x22 || c === 0x27) quote = c;
      else if (c === 0x3e) {
        end = i;
        break;
      }
    }
    if (end === -1) {
      // Not complete yet.
      if (head.length > this.stats.maxHeld) this.stats.maxHeld = head.length;
      return;
    }
    this.stats.steps += 2 * (end + 1);
    const text = latin1(head, 0, end + 1);
    if (text.charCodeAt(end - 1) === 0x2f) giveUp('an empty root');
    let j = rootAt + 1;
    while (j < end && !isWs(text.charCodeAt(j))) j++;
    const rootName = text.slice(rootAt + 1, j);
    const ns = new Map<string, string>([
      ['xml', XML_NS],
      ['xmlns', XMLNS_NS],
    ]);
    // The root's namespaces, as the full parser binds them (anything it would refuse: given up).
    try {
      readAttributes(text, j, end, ns, XML_LIMITS, { chars: 0, steps: 0 });
    } catch {
      giveUp('root attributes the full parser refuses');
    }
    const colon = rootName.indexOf(':');
    const prefix = colon === -1 ? '' : rootName.slice(0, colon);
    const local = colon === -1 ? rootName : rootName.slice(colon + 1);
    if (
      local !== 'multistatus' ||
      ns.get(prefix) !== NS.dav ||
      (colon !== -1 && !prefix) ||
      rootName.length > XML_LIMITS.maxName
    )
      giveUp('not a DAV: multistatus root');
    this.reader = new ResponseReader(ns, this.stats);
    const p = prefix ? `${prefix}:` : '';
    this.openTag = Buffer.from(`<${p}response>`, 'latin1');
    this.closeTag = Buffer.from(`</${p}response>`, 'latin1');
    this.rootClose = Buffer.from(`</${rootName}>`, 'latin1');
    // Kept: the full parser is given the prolog again if this gives up later.
    const body = head.subarray(end + 1);
    this.head = Buffer.from(head.subarray(0, end + 1));
    this.phase = BODY;
    if (body.length) this.scan(body, 0);
  }

  /** Reads responses from a piece (after any held bytes). */
  private readBody(piece: Buffer): void {
    this.pending = piece;
    if (!this.heldLen) return this.scan(piece, 0);
    if (!this.inResponse) {
      // A short start of a tag between responses: joined to the piece.
      const buf = Buffer.concat([...this.held, piece]);
      this.stats.steps += this.heldLen;
      this.held = [];
      this.heldLen = 0;
      return this.scan(buf, 0);
    }
    // Search the new piece only (and the held tail, for an end tag split across pieces).
    const close = this.closeTag;
    let found = -1;
    const joint = Buffer.concat([this.tail, piece.subarray(0, close.length - 1)]);
    const j = joint.indexOf(close);
    this.stats.steps += joint.length;
    if (j !== -1) found = j - this.tail.length + close.length;
    else {
      const at = piece.indexOf(close);
      this.stats.steps += at === -1 ? piece.length : at + close.length;
      if (at !== -1) found = at + close.length;
    }
    if (found === -1) {
      this.pending = null;
      this.holdResponse(piece);
      return;
    }
    // Complete: put together once and parsed (the pieces stay held until then, for giving up).
    const whole = Buffer.concat([...this.held, piece.subarray(0, found)]);
    if (whole.length > FAST_HOLD) giveUp('a response longer than FAST_HOLD');
    this.stats.steps += 2 * whole.length;
    this.onResponse(this.reader!.read(whole, 0, whole.length));
    this.space = 0;
    this.held = [];
    this.heldLen = 0;
    this.inResponse = false;
    this.scan(piece, found);
  }

  private holdResponse(b: Buffer): void {
    this.held.push(b);
    this.heldLen += b.length;
    const k = this.closeTag.length - 1;
    this.tail = b.length >= k ? Buffer.from(b.subarray(b.length - k)) : Buffer.concat([this.tail, b]).subarray(-k);
    if (this.heldLen > this.stats.maxHeld) this.stats.maxHeld = this.heldLen;
    if (this.heldLen > FAST_HOLD) giveUp('a response longer than FAST_HOLD');
  }

  /** Between responses in buf from pos: whitespace, responses, the root's end. */
  private scan(buf: Buffer, pos: number): void {
    const n = buf.length;
    const open = this.openTag;
    const close = this.closeTag;
    while (pos < n) {
      const c = buf[pos]!;
      if (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) {
        pos++;
        // Text of the root to the full parser, held to its limit: a long run is handed over.
        if (this.phase === BODY && ++this.space > SPACE_HOLD) {
          this.pending = buf.subarray(pos);
          giveUp('a long run of white space');
        }
        continue;
      }
      this.pending = buf.subarray(pos);
      if (this.phase === AFTER) giveUp('something after the root');
      if (c !== 0x3c) giveUp('text between responses');
      if (matches(buf, pos, open)) {
        const at = buf.indexOf(close, pos + open.length);
        if (at === -1) {
          this.stats.steps += n - pos;
          this.inResponse = true;
          this.tail = Buffer.alloc(0);
          this.pending = null;
          this.holdResponse(Buffer.from(buf.subarray(pos)));
          return;
        }
        const end = at + close.length;
        if (end - pos > FAST_HOLD) giveUp('a response longer than FAST_HOLD');
        this.stats.steps += 2 * (end - pos);
        this.onResponse(this.reader!.read(buf, pos, end));
        this.space = 0;
        pos = end;
        continue;
      }
      if (matches(buf, pos, this.rootClose)) {
        this.space = 0;
        this.phase = AFTER;
        pos += this.rootClose.length;
        continue;
      }
      // A tag split at the end of the piece, or something else.
      const rest = n - pos;
      if (
        (rest < open.length && isPrefix(buf, pos, open)) ||
        (rest < this.rootClose.length && isPrefix(buf, pos, this.rootClose))
      ) {
        this.inResponse = false;
        this.pending = null;
        this.held = [Buffer.from(buf.subarray(pos))];
        this.heldLen = rest;
        return;
      }
      giveUp('an element other than a response');
    }
    this.pending = null;
  }
}

function matches(buf: Buffer, at: number, what: Uint8Array): boolean {
  if (at + what.length > buf.length) return false;
  for (let k = 0; k < what.length; k++) if (buf[at + k] !== what[k]) return false;
  return true;
}

function isPrefix(buf: Buffer, at: number, what: Uint8Array): boolean {
  for (let k = 0; at + k < buf.length; k++) if (buf[at + k] !== what[k]) return false;
  return true;
}
