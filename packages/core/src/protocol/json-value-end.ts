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

/** Values may nest this deep; deeper text is answered with -1 (the caller falls back to `JSON.parse`). */
export const maxJsonDepth = 512;

const minus = 0x2d;
const zero = 0x30;
const nine = 0x39;

/** The closing character of each open container; reused across calls (validation never re-enters). */
const closers = new Uint8Array(maxJsonDepth);

/**
 * Where the JSON value starting at `start` (leading whitespace allowed) ends, validated against the full
 * JSON grammar (RFC 8259, as `JSON.parse` reads it); -1 when the text there is not one valid value, or
 * nests deeper than `maxJsonDepth`.
 *
 * Why it exists: a value cut from a text before `JSON.parse` must be exactly as valid as if it had been
 * parsed. Cost: one pass without allocating or recursing, about three times faster than `JSON.parse` of
 * the same value, which also builds every object.
 */
export function strictJsonValueEnd(text: string, start: number): number {
  const length = text.length;
  let position = start;
  let depth = 0;
  let code: number;
  for (;;) {
    // A value begins at `position`, maybe after whitespace.
    position = whitespaceEnd(text, position);
    code = text.charCodeAt(position);
    if (code === quote) {
      position = stringEnd(text, position, length);
      if (position < 0) return -1;
    } else if (code === openBrace || code === openBracket) {
      const closer = code === openBrace ? closeBrace : closeBracket;
      position = whitespaceEnd(text, position + 1);
      if (text.charCodeAt(position) === closer) position++;
      else {
        if (depth === maxJsonDepth) return -1;
        closers[depth++] = closer;
        if (closer === closeBrace) {
          position = memberValueStart(text, position, length);
          if (position < 0) return -1;
        }
        continue;
      }
    } else if (code === 0x74) {
      if (!text.startsWith('true', position)) return -1;
      position += 4;
    } else if (code === 0x66) {
      if (!text.startsWith('false', position)) return -1;
      position += 5;
    } else if (code === 0x6e) {
      if (!text.startsWith('null', position)) return -1;
      position += 4;
    } else {
      position = numberEnd(text, position);
      if (position < 0) return -1;
    }
    // After a value: close what ends here; a comma leads to the next value (or member).
    for (;;) {
      if (depth === 0) return position;
      position = whitespaceEnd(text, position);
      code = text.charCodeAt(position);
      if (code === comma) {
        position++;
        if (closers[depth - 1] === closeBrace) {
          position = memberValueStart(text, position, length);
          if (position < 0) return -1;
        }
        break;
      }
      if (code !== closers[depth - 1]) return -1;
      depth--;
      position++;
    }
  }
}

/** From before a member's key (whitespace allowed) to just after its colon; -1 when they are not there. */
function memberValueStart(text: string, start: number, length: number): number {
  let position = whitespaceEnd(text, start);
  if (text.charCodeAt(position) !== quote) return -1;
  position = stringEnd(text, position, length);
  if (position < 0) return -1;
  position = whitespaceEnd(text, position);
  return text.charCodeAt(position) === colon ? position + 1 : -1;
}

/** The first position at or after `start` that is not JSON whitespace. */
function whitespaceEnd(text: string, start: number): number {
  let position = start;
  while (isWhitespace(text.charCodeAt(position))) position++;
  return position;
}

/** From the opening quote to just after the closing one, checking escapes and control characters. */
function stringEnd(text: string, start: number, length: number): number {
  for (let position = start + 1; position < length; position++) {
    const code = text.charCodeAt(position);
    if (code === quote) return position + 1;
    if (code < 0x20) return -1;
    if (code === backslash) {
      const escaped = text.charCodeAt(position + 1);
      if (escaped === 0x75) {
        for (let digit = 2; digit < 6; digit++) {
          if (!isHexDigit(text.charCodeAt(position + digit))) return -1;
        }
        position += 5;
      } else if (isSimpleEscape(escaped)) position++;
      else return -1;
    }
  }
  return -1;
}

function numberEnd(text: string, start: number): number {
  let position = start;
  let code = text.charCodeAt(position);
  if (code === minus) code = text.charCodeAt(++position);
  if (code === zero) code = text.charCodeAt(++position);
  else if (code > zero && code <= nine) {
    do code = text.charCodeAt(++position);
    while (isDigit(code));
  } else return -1;
  if (code === 0x2e) {
    code = text.charCodeAt(++position);
    if (!isDigit(code)) return -1;
    do code = text.charCodeAt(++position);
    while (isDigit(code));
  }
  if (code === 0x65 || code === 0x45) {
    code = text.charCodeAt(++position);
    if (code === 0x2b || code === minus) code = text.charCodeAt(++position);
    if (!isDigit(code)) return -1;
    do code = text.charCodeAt(++position);
    while (isDigit(code));
  }
  return position;
}

/** JSON's whitespace only: a form feed or a no-break space is a syntax error, not a separator. */
export function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

export function isDigit(code: number): boolean {
  return code >= zero && code <= nine;
}

function isHexDigit(code: number): boolean {
  const lower = code | 0x20;
  return (code >= zero && code <= nine) || (lower >= 0x61 && lower <= 0x66);
}

/** The characters after a backslash that JSON allows besides `u`: " \ / b f n r t. */
function isSimpleEscape(code: number): boolean {
  return (
    code === quote ||
    code === backslash ||
    code === 0x2f ||
    code === 0x62 ||
    code === 0x66 ||
    code === 0x6e ||
    code === 0x72 ||
    code === 0x74
  );
}
