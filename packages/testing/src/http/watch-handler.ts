import { tooOldResourceVersion } from '../storage/api-status-error.js';
import type { StoredEvent } from '../storage/event-history.js';
import { readPage } from '../storage/snapshot-page.js';
import type { StoredRevision } from '../storage/stored-revision.js';
import type { WatchConnection } from '../watch/watch-connection.js';
import type { WatchHub } from '../watch/watch-hub.js';
import { Watcher } from '../watch/watcher.js';
import {
  type CollectionRequest,
  invalidParameter,
  type ListEnvironment,
  parseResourceVersion,
  waitForResourceVersion,
} from './list-handler.js';
import { queryFlag } from './query-flag.js';

export interface WatchEnvironment extends ListEnvironment {
  readonly hub: WatchHub;
  readonly bookmarkIntervalMs: number;
  /** Used when the client sends no `timeoutSeconds`. */
  readonly defaultTimeoutSeconds: number;
  readonly backlogLimit: number;
}

/**
 * Validates a watch request's parameters and answers the errors that precede the stream with an HTTP
 * status (400/422/504). Returns a function that opens the stream on a connection; the split lets a WebSocket
 * upgrade be refused with a proper status before the handshake.
 */
export async function prepareWatch(
  request: CollectionRequest,
  environment: WatchEnvironment,
): Promise<(connection: WatchConnection) => void> {
  const { query } = request;
  const resourceVersion = query.get('resourceVersion') ?? '';
  const match = query.get('resourceVersionMatch') ?? '';
  const sendInitialEventsFlag = queryFlag(query, 'sendInitialEvents');
  const sendInitialEvents = sendInitialEventsFlag === true;
  const bookmarks = queryFlag(query, 'allowWatchBookmarks') === true;
  if ((query.get('continue') ?? '') !== '') {
    throw invalidParameter('continue', 'Forbidden: continue is not allowed with watch');
  }
  if (sendInitialEvents) {
    if (match !== 'NotOlderThan') {
      throw invalidParameter(
        'resourceVersionMatch',
        'Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
      );
    }
    if (!bookmarks) {
      throw invalidParameter(
        'allowWatchBookmarks',
        'Forbidden: sendInitialEvents requires allowWatchBookmarks=true',
      );
    }
  } else if (match !== '') {
    throw invalidParameter(
      'resourceVersionMatch',
      'Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
    );
  }
  const timeoutSeconds = parseTimeout(query.get('timeoutSeconds'), environment.defaultTimeoutSeconds);

  const { objectStore } = environment;
  const table = objectStore.table(request.resource);
  // Unset or "0" means "start with the current state" (unless sendInitialEvents=false says otherwise).
  const fromCurrentState = resourceVersion === '' || resourceVersion === '0';
  let requested = 0;
  if (!fromCurrentState) {
    requested = parseResourceVersion(resourceVersion);
    await waitForResourceVersion(environment, requested, resourceVersion);
  }

  return (connection) => {
    // Everything below runs synchronously: the snapshot, the replay and the registration see the same
    // store state, so no event falls between them.
    let initial: readonly StoredRevision[] = [];
    let replay: readonly StoredEvent[] = [];
    const withInitialState = sendInitialEvents || (fromCurrentState && sendInitialEventsFlag !== false);
    if (withInitialState) {
      initial = readPage(table, objectStore.resourceVersion, { filter: request.filter, at: 'latest' }).items;
    } else if (!fromCurrentState) {
      if (!table.history.covers(requested)) {
        // The watch cache's answer to an expired version: HTTP 200 and a single ERROR event.
        const status = tooOldResourceVersion(resourceVersion, table.history.compactedThrough + 1).toStatus();
        connection.open('application/json');
        connection.write(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
        connection.end();
        return;
      }
      replay = table.history.since(requested);
    }
    const watcher = new Watcher(
      connection,
      {
        resource: request.resource,
        filter: request.filter,
        projection: request.projection,
        bookmarks,
        bookmarkIntervalMs: environment.bookmarkIntervalMs,
        timeoutMs: timeoutSeconds * 1000,
        backlogLimit: environment.backlogLimit,
        clock: environment.clock,
      },
      environment.hub,
    );
    environment.hub.register(watcher);
    watcher.start(initial, replay, sendInitialEvents);
  };
}

function parseTimeout(text: string | null, fallback: number): number {
  if (text === null || text === '') return fallback;
  if (!/^\d+$/.test(text)) throw invalidParameter('timeoutSeconds', `Invalid value: ${JSON.stringify(text)}`);
  const seconds = Number(text);
  return seconds === 0 ? fallback : seconds;
}
