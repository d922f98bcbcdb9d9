/**
 * The JSON text an object was decoded from, handed from the decoder (list pages, watch lines) to a
 * compact store (`storage: 'compact'`), which keeps the text instead of the object.
 *
 * Why a side table rather than a field or a parallel array: the text must follow its object through the
 * list/watch loop (snapshots, filters, relists) without the loop knowing about it, and must never become
 * visible on the object itself. The consumer takes (and removes) the entry as soon as it stores the
 * object, so the table holds only objects in flight: a watch event's for microseconds, a list's until
 * its snapshot is applied. Objects never taken (filtered out, dropped with a failed list) are released
 * with their text by the garbage collector.
 *
 * Every text put here is flat (never a slice of a larger string): a V8 sliced string keeps its parent,
 * a whole page or line, alive for as long as it is held.
 */
const bareTexts = new WeakMap<object, string>();
const eventTexts = new WeakMap<object, string>();

/** Where an object's text sits: the object itself (`bare`) or the `object` member of a watch event. */
export type SourceTextShape = 'bare' | 'event';

export interface SourceText {
  readonly text: string;
  readonly shape: SourceTextShape;
}

/** Records `text` (flat) as the JSON `object` was decoded from; `shape` says where the object sits in it. */
export function attachSourceText(object: object, text: string, shape: SourceTextShape): void {
  (shape === 'bare' ? bareTexts : eventTexts).set(object, text);
}

/** The text recorded for `object`, removed from the table; `undefined` when none was recorded. */
export function takeSourceText(object: object): SourceText | undefined {
  const bare = bareTexts.get(object);
  if (bare !== undefined) {
    bareTexts.delete(object);
    return { text: bare, shape: 'bare' };
  }
  const event = eventTexts.get(object);
  if (event === undefined) return undefined;
  eventTexts.delete(object);
  return { text: event, shape: 'event' };
}

/**
 * A flat copy of `text.slice(start, end)`, which keeps nothing of `text` alive. Two slices concatenated
 * make a cons string; the `JSON.parse` every caller runs next flattens it in place into a fresh string
 * of its own (V8 flattens a cons before parsing and keeps the flat result), so the copy costs one
 * `memcpy` and no second pass. Callers that do not parse the result must not rely on this.
 */
export function flatSlice(text: string, start: number, end: number): string {
  const middle = (start + end) >>> 1;
  return text.slice(start, middle) + text.slice(middle, end);
}
