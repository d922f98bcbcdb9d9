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
import { isWhitespace, strictJsonValueEnd } from './json-value-end.js';
import { scanPrunedList } from './prune-managed-fields.js';
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
 * Contract: the skeleton (the root object, the members around `items`, the array's brackets and commas)
 * is validated strictly; each item is only cut, by counting brackets outside strings, because the
 * caller parses every item anyway. When every item then parses, `JSON.parse(text)` equals
 * `JSON.parse(head)` with `items` set to the parsed items (`"items": null` counts as no items): for
 * valid JSON the cut is exact, and a cut piece that parses is one whole value, so valid pieces in a
 * valid skeleton make a valid body. When an item does not parse, the body is not JSON. It returns
 * `undefined` for a skeleton it cannot read: text that is not one JSON object, an `items` member that
 * is not an array of objects (or `null`), a duplicated `items` member. The caller then parses the body
 * whole, which also reports its errors.
 *
 * Cost: one pass over the items that looks at each character once and jumps over strings with
 * `indexOf` (a strict validation of the items cost more than parsing them), and one copy of each item.
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

/**
 * `splitListItems` of `pruneManagedFields(text, 'list')`, in the pruner's one walk: each item's pruned
 * text is joined from the slices of `text` the pruner keeps, so neither the pruned page nor a second
 * pass over it is made. Same contract as `splitListItems` with the pruned text (the walk validates the
 * skeleton and the cut values strictly; the caller's parse of each item checks the rest). Each item's
 * text is a flat copy once parsed: two or more slices joined make a cons string, which `JSON.parse`
 * flattens in place, and a single slice is copied by `flatSlice`.
 */
export function pruneListItems(text: string): ListItemTexts | undefined {
  const layout = scanPrunedList(text);
  if (layout === undefined) return undefined;
  const { cuts, items, itemsStart, itemsEnd } = layout;
  if (cuts.length > 0 && ((cuts[0] as number) < itemsStart || (cuts.at(-1) as number) > itemsEnd))
    return undefined;
  const texts: string[] = [];
  let cut = 0;
  for (let index = 0; index < items.length; index += 2) {
    const start = items[index] as number;
    const end = items[index + 1] as number;
    let kept = start;
    let joined: string | undefined;
    while (cut < cuts.length && (cuts[cut] as number) < end) {
      joined = (joined ?? '') + text.slice(kept, cuts[cut]);
      kept = cuts[cut + 1] as number;
      cut += 2;
    }
    texts.push(joined === undefined ? flatSlice(text, start, end) : joined + text.slice(kept, end));
  }
  const head = itemsStart < 0 ? text : `${text.slice(0, itemsStart)}[]${text.slice(itemsEnd)}`;
  return { head, items: texts };
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
    const end = bracketedEnd(text, position);
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

/**
 * Just after the bracket that closes the one at `start`, counting brackets outside strings; -1 when the
 * text ends first. Exact for valid JSON; for anything else the parse of the cut piece fails.
 */
function bracketedEnd(text: string, start: number): number {
  let depth = 0;
  for (let position = start; position < text.length; position++) {
    const code = text.charCodeAt(position);
    if (code === quote) {
      position = closingQuote(text, position);
      if (position < 0) return -1;
    } else if (code === openBrace || code === openBracket) depth++;
    else if (code === closeBrace || code === closeBracket) {
      depth--;
      if (depth === 0) return position + 1;
    }
  }
  return -1;
}

/** The quote that closes the string opened at `open` (one not escaped by an odd run of backslashes). */
function closingQuote(text: string, open: number): number {
  let position = open;
  for (;;) {
    position = text.indexOf('"', position + 1);
    if (position < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(position - 1 - backslashes) === backslash) backslashes++;
    if (backslashes % 2 === 0) return position;
  }
}

function whitespaceEnd(text: string, start: number): number {
  let position = start;
  while (isWhitespace(text.charCodeAt(position))) position++;
  return position;
}
