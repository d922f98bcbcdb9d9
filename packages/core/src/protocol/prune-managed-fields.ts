import { rootOfList, rootOfWatchEvent, scan } from './managed-fields-scanner.js';

/**
 * Where the objects sit in the JSON text: `list` is a list body (`{"items":[object, …], …}`),
 * `watchEvent` one watch line (`{"type":…,"object":object}`).
 */
export type PruneShape = 'list' | 'watchEvent';

/**
 * Removes the `managedFields` member from the top-level `metadata` of each object in `text` (every item
 * of a list body; the `object` of a watch event), working on the text before it is parsed: most of a
 * pod's parse time goes into its managedFields, which almost no informer reads.
 *
 * Contract: when it returns a string, `JSON.parse` of it equals `JSON.parse(text)` with
 * `metadata.managedFields` deleted from those objects, and throws exactly when `JSON.parse(text)` throws.
 * A member of that name anywhere else (inside a string, an annotation value, `spec`, a nested object)
 * is kept. It returns `undefined` when it cannot prove its cut (text outside the JSON grammar where the
 * scanner walks, nesting deeper than it tracks); the caller then parses and deletes instead.
 *
 * Cost: one pass over the text without allocating, except the result (the kept slices, concatenated)
 * when something was cut; strings are skipped with `indexOf`, the cut values are validated strictly
 * (`strictJsonValueEnd`). A watch event is walked only up to its object's metadata when the rest cannot
 * name another one. Returns `text` itself when there was nothing to cut.
 */
export function pruneManagedFields(text: string, shape: PruneShape): string | undefined {
  scan.begin(text, shape === 'list' ? rootOfList : rootOfWatchEvent);
  const ok = scan.document();
  const cuts = scan.cuts;
  const count = scan.cutCount;
  scan.end();
  if (!ok) return undefined;
  if (count === 0) return text;
  let result = text.slice(0, cuts[0]);
  for (let index = 1; index < count; index += 2) {
    result += text.slice(cuts[index], index + 1 < count ? cuts[index + 1] : text.length);
  }
  return result;
}

/** Where a list body's items are, and what `pruneManagedFields` cuts from them (see `scanPrunedList`). */
export interface PrunedListLayout {
  /** Flat [start, end) pairs in increasing order, each inside an item. */
  readonly cuts: readonly number[];
  /** Flat [start, end) pairs, one per item, in order; every item is an object. */
  readonly items: readonly number[];
  /** The items array, brackets included (-1, -1: the body has no `items` array). */
  readonly itemsStart: number;
  readonly itemsEnd: number;
}

/**
 * The walk of `pruneManagedFields(text, 'list')`, answered as positions instead of a pruned copy, so a
 * caller can cut each item's pruned text straight from `text`. `undefined` when the scanner gives up,
 * when an item is not an object, or when the body names `items` more than once.
 */
export function scanPrunedList(text: string): PrunedListLayout | undefined {
  scan.begin(text, rootOfList);
  const ok = scan.document();
  const layout: PrunedListLayout = {
    cuts: scan.cuts.slice(0, scan.cutCount),
    items: scan.itemBounds.slice(0, scan.itemBoundCount),
    itemsStart: scan.itemsStart,
    itemsEnd: scan.itemsEnd,
  };
  const usable = ok && scan.itemsMembers <= 1 && !scan.nonObjectItem;
  scan.end();
  return usable ? layout : undefined;
}

/**
 * The after-the-parse equivalent, for text the scanner gave up on: deletes `metadata.managedFields` of
 * `object` when it is an object whose `metadata` is an object (anything else is left as it is).
 */
export function deleteManagedFields(object: unknown): void {
  if (typeof object !== 'object' || object === null) return;
  const metadata = (object as { metadata?: unknown }).metadata;
  if (typeof metadata === 'object' && metadata !== null && 'managedFields' in metadata) {
    delete (metadata as { managedFields?: unknown }).managedFields;
  }
}
