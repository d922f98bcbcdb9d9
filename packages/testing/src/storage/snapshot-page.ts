import { ApiStatusError, tooOldResourceVersion } from './api-status-error.js';
import { type ContinueToken, encodeContinueToken } from './continue-token.js';
import type { ObjectFilter } from './object-filter.js';
import { compareKeys, lowerBound, type ResourceTable } from './resource-table.js';
import type { StoredRevision } from './stored-revision.js';

export interface SnapshotPageRequest {
  readonly filter: ObjectFilter;
  /** The snapshot to read: `latest`, or an exact resourceVersion still covered by the history. */
  readonly at: 'latest' | number;
  readonly limit?: number | undefined;
  readonly continueToken?: ContinueToken | undefined;
}

export interface SnapshotPage {
  readonly resourceVersion: number;
  /** The page's objects in key order; references only — serialization happens while streaming. */
  readonly items: readonly StoredRevision[];
  readonly continueToken?: string;
  readonly remainingItemCount?: number;
}

const expiredContinueMessage =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/**
 * Reads one page of a list, synchronously, so the page is one consistent snapshot even though it is
 * streamed out later. Pages after the first read the snapshot of the first page (like etcd reads at the
 * revision of the continue token); the snapshot is rebuilt from the current state and the event history,
 * and a token whose snapshot left the history answers `410 Expired` with a fresh token that continues
 * over the latest state (the API server's behaviour after etcd compaction).
 */
export function readPage(
  table: ResourceTable,
  currentResourceVersion: number,
  request: SnapshotPageRequest,
): SnapshotPage {
  const token = request.continueToken;
  let at = request.at;
  if (token !== undefined) at = token.resourceVersion > 0 ? token.resourceVersion : 'latest';
  if (at !== 'latest' && !table.history.covers(at)) {
    if (token !== undefined) {
      throw new ApiStatusError({
        code: 410,
        reason: 'Expired',
        message: expiredContinueMessage,
        continueToken: encodeContinueToken({ resourceVersion: -1, start: token.start }),
      });
    }
    throw tooOldResourceVersion(String(at), table.history.compactedThrough + 1);
  }
  const snapshot = at === 'latest' || at >= currentResourceVersion ? latest(table) : historic(table, at);
  const snapshotVersion = at === 'latest' ? currentResourceVersion : at;

  const { filter, limit } = request;
  const keys = snapshot.keys;
  // Narrow to the namespace's key range (`ns/…`), then to the continue position.
  let from = 0;
  let to = keys.length;
  if (filter.namespace !== undefined && table.resource.namespaced) {
    from = lowerBound(keys, `${filter.namespace}/`);
    to = lowerBound(keys, `${filter.namespace}0`); // '0' is the character after '/'
  }
  if (token !== undefined) from = Math.max(from, lowerBound(keys, token.start));

  const items: StoredRevision[] = [];
  const pageSize = limit !== undefined && limit > 0 ? limit : Number.POSITIVE_INFINITY;
  let index = from;
  for (; index < to && items.length < pageSize; index += 1) {
    const revision = snapshot.get(keys[index]!);
    if (revision !== undefined && filter.matches(revision)) items.push(revision);
  }
  // A page is only "not the last" if something after it would still match.
  let more = false;
  for (let probe = index; probe < to; probe += 1) {
    const revision = snapshot.get(keys[probe]!);
    if (revision !== undefined && filter.matches(revision)) {
      more = true;
      break;
    }
  }
  if (!more || items.length === 0) return { resourceVersion: snapshotVersion, items };
  const last = items.at(-1)!;
  return {
    resourceVersion: snapshotVersion,
    items,
    continueToken: encodeContinueToken({
      resourceVersion: token?.resourceVersion === -1 ? -1 : snapshotVersion,
      start: `${last.key}\u0000`,
    }),
    // Only exact without selectors, as on the real server.
    ...(filter.hasSelectors ? {} : { remainingItemCount: countPresent(snapshot, index, to) }),
  };
}

interface Snapshot {
  readonly keys: readonly string[];
  /** Every key is present (the latest state): counting needs no lookups. */
  readonly dense: boolean;
  get(key: string): StoredRevision | undefined;
}

function latest(table: ResourceTable): Snapshot {
  const keys = table.sortedKeys();
  const objects = table.objects;
  return { keys, dense: true, get: (key) => objects.get(key) };
}

/** The table as it was at `resourceVersion`: undo every later event, newest first. */
function historic(table: ResourceTable, resourceVersion: number): Snapshot {
  const overlay = new Map<string, StoredRevision | null>();
  const later = table.history.since(resourceVersion);
  for (let index = later.length - 1; index >= 0; index -= 1) {
    const event = later[index]!;
    overlay.set(event.object.key, event.type === 'ADDED' ? null : (event.previous ?? null));
  }
  const current = table.sortedKeys();
  const extra = [...overlay.keys()].filter((key) => !table.objects.has(key));
  const keys = extra.length === 0 ? current : [...current, ...extra].sort(compareKeys);
  return {
    keys,
    dense: false,
    get: (key) => {
      const replaced = overlay.get(key);
      return replaced === undefined ? table.objects.get(key) : (replaced ?? undefined);
    },
  };
}

function countPresent(snapshot: Snapshot, from: number, to: number): number {
  if (snapshot.dense) return to - from;
  let count = 0;
  for (let index = from; index < to; index += 1)
    if (snapshot.get(snapshot.keys[index]!) !== undefined) count += 1;
  return count;
}
