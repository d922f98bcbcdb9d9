import {
  closeBrace,
  closeBracket,
  colon,
  comma,
  openBrace,
  openBracket,
  quote,
} from './json-character-codes.js';
import { isWhitespace, strictJsonValueEnd } from './json-value-end.js';
import { flatSlice } from './source-text.js';

/** A list body cut into its items' texts and the rest. */
export interface ListItemTexts {
  /** The body with its `items` array replaced by `[]`: the list's `metadata`, `kind`, `apiVersion`. */
  readonly head: string;
  /** Each item's JSON text, flat (see `flatSlice`), in order. Every one is a valid JSON object. */
  readonly items: string[];
}

/**
 * Cuts a list body (`{"items":[object, …], "metadata":…}`) into its items' texts without parsing it,
 * so that a compact store can keep each item's text and parse each item on its own: no second parse of
 * the page, and no item text that keeps the page alive.
 *
 * Contract: when it returns a value, `JSON.parse(text)` equals `JSON.parse(head)` with `items` set to
 * the parsed `items` (`"items": null` counts as no items, as for any list); every item is validated strictly (`strictJsonValueEnd`), the skeleton around them
 * (the root object, the array's brackets and commas) too. It returns `undefined` for anything else: text
 * that is not one JSON object, an `items` member that is not an array of objects (or `null`), a
 * duplicated `items` member. The caller then parses the body whole, which also reports its errors.
 *
 * Cost: one strict pass over the items (about a third of `JSON.parse` of them, allocating nothing) and
 * one copy of each item.
 */
export function splitListItems(text: string): ListItemTexts | undefined {
  let position = whitespaceEnd(text, 0);
  if (text.charCodeAt(position) !== openBrace) return undefined;
  position = whitespaceEnd(text, position + 1);
  let itemsStart = -1;
  let itemsEnd = -1;
  let items: string[] = [];
  if (text.charCodeAt(position) !== closeBrace) {
    for (;;) {
      const keyStart = position;
      if (text.charCodeAt(keyStart) !== quote) return undefined;
      const keyEnd = strictJsonValueEnd(text, keyStart);
      if (keyEnd < 0) return undefined;
      position = whitespaceEnd(text, keyEnd);
      if (text.charCodeAt(position) !== colon) return undefined;
      const valueStart = whitespaceEnd(text, position + 1);
      if (isItemsKey(text, keyStart, keyEnd)) {
        // JSON.parse keeps the last of duplicated members; so would we, but one is never sent: give up.
        if (itemsStart !== -1) return undefined;
        const found = itemTexts(text, valueStart);
        if (found === undefined) return undefined;
        items = found.items;
        itemsStart = valueStart;
        itemsEnd = found.end;
        position = found.end;
      } else {
        position = strictJsonValueEnd(text, valueStart);
        if (position < 0) return undefined;
      }
      position = whitespaceEnd(text, position);
      const code = text.charCodeAt(position);
      if (code === closeBrace) break;
      if (code !== comma) return undefined;
      position = whitespaceEnd(text, position + 1);
    }
  }
  if (whitespaceEnd(text, position + 1) !== text.length) return undefined;
  const head = itemsStart === -1 ? text : `${text.slice(0, itemsStart)}[]${text.slice(itemsEnd)}`;
  return { head, items };
}

/** The items of the array (or `null`) at `start`, and where it ends. */
function itemTexts(text: string, start: number): { items: string[]; end: number } | undefined {
  if (text.startsWith('null', start)) return { items: [], end: start + 4 };
  if (text.charCodeAt(start) !== openBracket) return undefined;
  const items: string[] = [];
  let position = whitespaceEnd(text, start + 1);
  if (text.charCodeAt(position) === closeBracket) return { items, end: position + 1 };
  for (;;) {
    if (text.charCodeAt(position) !== openBrace) return undefined;
    const end = strictJsonValueEnd(text, position);
    if (end < 0) return undefined;
    items.push(flatSlice(text, position, end));
    position = whitespaceEnd(text, end);
    const code = text.charCodeAt(position);
    if (code === closeBracket) return { items, end: position + 1 };
    if (code !== comma) return undefined;
    position = whitespaceEnd(text, position + 1);
  }
}

/** Whether the key string between `start` and `end` (quotes included) is `items`, escapes decoded. */
function isItemsKey(text: string, start: number, end: number): boolean {
  if (end - start === 7) return text.startsWith('"items"', start);
  // An escaped spelling (`"\u0069tems"`) is rare but means the same member to JSON.parse.
  return text.indexOf('\\', start) < end && JSON.parse(text.slice(start, end)) === 'items';
}

function whitespaceEnd(text: string, start: number): number {
  let position = start;
  while (isWhitespace(text.charCodeAt(position))) position++;
  return position;
}
