import {
  backslash,
  closeBrace,
  closeBracket,
  colon,
  comma,
  openBrace,
  openBracket,
  quote,
} from './json-character-codes.js';
import { isDigit, isWhitespace, maxJsonDepth, strictJsonValueEnd } from './json-value-end.js';

/** What the scanner is walking: the object levels whose members it inspects. */
export const rootOfList = 0;
export const rootOfWatchEvent = 1;
const objectLevel = 2;
const metadataLevel = 3;
/** What follows a member or an element. */
const continues = 0;
const closes = 1;
const fails = 2;

/**
 * The scanner's state, reused across calls (scans are synchronous and never re-entered) so a scan
 * allocates nothing but the cut list's growth.
 *
 * The walked skeleton (root object, the items array, each object, its metadata) is parsed strictly;
 * values it keeps are skipped leniently (strings and brackets matched, scalars taken as they are), since
 * `JSON.parse` of the result still checks every kept byte in the same grammatical position; values it
 * cuts are validated strictly, since nothing checks them afterwards.
 */
class ManagedFieldsScanner {
  text = '';
  length = 0;
  position = 0;
  root = rootOfList;
  /** Flat [start, end) pairs in increasing order; adjacent or overlapping cuts are merged. */
  cuts: number[] = [];
  cutCount = 0;
  /** The walk proved early that nothing after `position` needs cutting; the rest is not walked. */
  finished = false;
  /** A list's items as flat [start, end) pairs, the array's bounds, and what `scanPrunedList` refuses. */
  itemBounds: number[] = [];
  itemBoundCount = 0;
  itemsStart = -1;
  itemsEnd = -1;
  itemsMembers = 0;
  nonObjectItem = false;
  private readonly stack = new Uint8Array(maxJsonDepth);

  begin(text: string, root: number): void {
    this.text = text;
    this.length = text.length;
    this.position = 0;
    this.root = root;
    this.cutCount = 0;
    this.finished = false;
    this.itemBoundCount = 0;
    this.itemsStart = -1;
    this.itemsEnd = -1;
    this.itemsMembers = 0;
    this.nonObjectItem = false;
  }

  /**
   * After a watch event object's metadata: whether the rest of the text cannot hold another `metadata`
   * member (JSON.parse keeps the last of duplicate keys, so one later in this object, or in a later
   * `object`, would be the one to prune). A key spells `metadata` either plainly or with `\u` escapes,
   * so text holding neither cannot; the rest is then left to `JSON.parse`, which checks every byte of
   * it in place, instead of being walked.
   */
  private nothingLeftToCut(): boolean {
    const text = this.text;
    return text.indexOf('metadata', this.position) < 0 && text.indexOf('\\u', this.position) < 0;
  }

  /** Drops the reference to the text, so a large page is not kept alive by the scanner. */
  end(): void {
    this.text = '';
  }

  document(): boolean {
    this.skipWhitespace();
    if (this.code() !== openBrace || !this.object(this.root)) return false;
    if (this.finished) return true;
    this.skipWhitespace();
    return this.position === this.length;
  }

  private code(): number {
    return this.position < this.length ? this.text.charCodeAt(this.position) : -1;
  }

  private skipWhitespace(): void {
    const text = this.text;
    let position = this.position;
    while (position < this.length && isWhitespace(text.charCodeAt(position))) position++;
    this.position = position;
  }

  /** An object at `position` (on its `{`) whose members are inspected at `level`. */
  private object(level: number): boolean {
    this.position++;
    this.skipWhitespace();
    if (this.code() === closeBrace) {
      this.position++;
      return true;
    }
    // Cutting a member takes one comma with it: the one before it when a kept member precedes it,
    // else the one after it (up to the next member's key).
    let keptEnd = -1;
    let pendingStart = -1;
    let pendingEnd = -1;
    for (;;) {
      if (this.code() !== quote) return false;
      const keyStart = this.position;
      const keyEnd = this.stringEnd(keyStart);
      if (keyEnd < 0) return false;
      const member = this.memberAt(level, keyStart, keyEnd);
      if (member < 0) return false;
      this.position = keyEnd;
      this.skipWhitespace();
      if (this.code() !== colon) return false;
      this.position++;
      this.skipWhitespace();
      const value = this.code();
      let cut = false;
      if (member === memberItems) this.itemsMembers++;
      if (member === memberItems && value === openBracket) {
        if (!this.items()) return false;
      } else if (member === memberObject && value === openBrace) {
        if (!this.object(objectLevel)) return false;
        if (this.finished) return true;
      } else if (member === memberMetadata && value === openBrace) {
        if (!this.object(metadataLevel)) return false;
        if (this.root === rootOfWatchEvent && this.nothingLeftToCut()) {
          this.finished = true;
          return true;
        }
      } else if (member === memberManagedFields) {
        // Nothing checks a cut value afterwards: it must be exactly as valid as `JSON.parse` requires.
        const end = strictJsonValueEnd(this.text, this.position);
        if (end < 0) return false;
        this.position = end;
        cut = true;
      } else if (!this.skipValue()) return false;
      const valueEnd = this.position;
      if (cut) {
        if (keptEnd >= 0) this.addCut(keptEnd, valueEnd);
        else {
          if (pendingStart < 0) pendingStart = keyStart;
          pendingEnd = valueEnd;
        }
      } else {
        if (pendingStart >= 0) {
          this.addCut(pendingStart, keyStart);
          pendingStart = -1;
        }
        keptEnd = valueEnd;
      }
      const next = this.separator(closeBrace);
      if (next === continues) continue;
      if (next === fails) return false;
      if (pendingStart >= 0) this.addCut(pendingStart, pendingEnd);
      return true;
    }
  }

  /** The elements of a list's `items` array; each object among them is inspected. */
  private items(): boolean {
    this.itemsStart = this.position;
    this.position++;
    this.skipWhitespace();
    if (this.code() === closeBracket) {
      this.position++;
      this.itemsEnd = this.position;
      return true;
    }
    for (;;) {
      const start = this.position;
      if (this.code() === openBrace) {
        if (!this.object(objectLevel)) return false;
        this.itemBounds[this.itemBoundCount++] = start;
        this.itemBounds[this.itemBoundCount++] = this.position;
      } else {
        this.nonObjectItem = true;
        if (!this.skipValue()) return false;
      }
      const next = this.separator(closeBracket);
      if (next === continues) continue;
      this.itemsEnd = this.position;
      return next === closes;
    }
  }

  /** After a member or an element: a comma (another follows) or `close` (the container ends). */
  private separator(close: number): number {
    this.skipWhitespace();
    const next = this.code();
    this.position++;
    if (next === comma) {
      this.skipWhitespace();
      return continues;
    }
    return next === close ? closes : fails;
  }

  /** Which inspected member the key between `keyStart` and `keyEnd` (quotes included) names at `level`. */
  private memberAt(level: number, keyStart: number, keyEnd: number): number {
    const wanted =
      level === rootOfList
        ? 'items'
        : level === rootOfWatchEvent
          ? 'object'
          : level === objectLevel
            ? 'metadata'
            : 'managedFields';
    const text = this.text;
    const rawLength = keyEnd - keyStart - 2;
    if (rawLength === wanted.length) {
      return text.startsWith(wanted, keyStart + 1) ? memberFor(level) : memberNone;
    }
    // A key written with escapes (`"managed\u0046ields"`) names the same member once parsed; escapes
    // only lengthen a key, at most sixfold.
    if (rawLength < wanted.length || rawLength > 6 * wanted.length) return memberNone;
    let escaped = false;
    for (let position = keyStart + 1; position < keyEnd - 1; position++) {
      if (text.charCodeAt(position) === backslash) {
        escaped = true;
        break;
      }
    }
    if (!escaped) return memberNone;
    let key: unknown;
    try {
      key = JSON.parse(text.slice(keyStart, keyEnd));
    } catch {
      return -1;
    }
    return key === wanted ? memberFor(level) : memberNone;
  }

  /** The position after the string starting at `start` (its opening quote); -1 when it is unterminated. */
  private stringEnd(start: number): number {
    const text = this.text;
    let from = start + 1;
    for (;;) {
      const close = text.indexOf('"', from);
      if (close < 0) return -1;
      let before = close - 1;
      while (text.charCodeAt(before) === backslash) before--;
      // An even run of backslashes escapes itself, not the quote.
      if ((close - 1 - before) % 2 === 0) return close + 1;
      from = close + 1;
    }
  }

  /** Skips a kept value leniently: strings and brackets are matched, scalars taken as they are. */
  private skipValue(): boolean {
    const text = this.text;
    const length = this.length;
    const stack = this.stack;
    let position = this.position;
    let depth = 0;
    do {
      if (position >= length) return false;
      const code = text.charCodeAt(position);
      if (code === quote) {
        position = this.stringEnd(position);
        if (position < 0) return false;
      } else if (code === openBrace || code === openBracket) {
        if (depth === maxJsonDepth) return false;
        stack[depth++] = code;
        position++;
      } else if (code === closeBrace || code === closeBracket) {
        if (depth === 0 || stack[--depth] !== code - 2) return false;
        position++;
      } else if (depth === 0) {
        // A scalar at the top: letters, digits, signs and dots up to the next separator.
        const start = position;
        while (position < length && isScalarCharacter(text.charCodeAt(position))) position++;
        if (position === start) return false;
      } else position++;
    } while (depth > 0);
    this.position = position;
    return true;
  }

  private addCut(start: number, end: number): void {
    const cuts = this.cuts;
    const count = this.cutCount;
    if (count > 0 && start <= cuts[count - 1]!) {
      if (end > cuts[count - 1]!) cuts[count - 1] = end;
      return;
    }
    cuts[count] = start;
    cuts[count + 1] = end;
    this.cutCount = count + 2;
  }
}

const memberNone = 0;
const memberItems = 1;
const memberObject = 2;
const memberMetadata = 3;
const memberManagedFields = 4;

function memberFor(level: number): number {
  if (level === rootOfList) return memberItems;
  if (level === rootOfWatchEvent) return memberObject;
  if (level === objectLevel) return memberMetadata;
  return memberManagedFields;
}

function isScalarCharacter(code: number): boolean {
  return (
    isDigit(code) ||
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    code === 0x2b ||
    code === 0x2d ||
    code === 0x2e
  );
}

/** The one scanner: scans are synchronous and never re-entered. */
export const scan = new ManagedFieldsScanner();
