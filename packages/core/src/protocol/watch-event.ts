import { MalformedWatchEventError } from '../errors/malformed-watch-event-error.js';
import type { WatchChange } from '../list-watch/list-watch-sink.js';
import type { ApiStatus } from './api-status.js';
import { parseApiStatus } from './api-status.js';
import type { KubeObject } from './kube-object.js';
import { deleteManagedFields, pruneManagedFields } from './prune-managed-fields.js';
import { attachSourceText } from './source-text.js';
import type { WatchLineDecoderOptions } from './watch-line-decoder.js';
import { WatchLineDecoder } from './watch-line-decoder.js';

/** The annotation on the bookmark that ends a streaming initial list (`sendInitialEvents=true`). */
export const initialEventsEndAnnotation = 'k8s.io/initial-events-end';

/** One decoded line of a watch stream. */
export type WatchEvent<T extends KubeObject = KubeObject> = WatchChange<T> | WatchBookmark | WatchErrorEvent;

/** Nothing changed; the stream is current up to `object.metadata.resourceVersion`. */
export interface WatchBookmark {
  readonly type: 'BOOKMARK';
  readonly object: KubeObject & { readonly metadata: { readonly resourceVersion: string } };
}

/** The server reports a failure (e.g. code 410, expired) and ends the stream. */
export interface WatchErrorEvent {
  readonly type: 'ERROR';
  readonly object: ApiStatus;
}

/**
 * Decodes and validates one watch stream line. Throws `MalformedWatchEventError` for a line that is not
 * JSON, an unknown `type`, a missing `object`, an `ADDED`/`MODIFIED`/`DELETED` object without
 * `metadata.name`, a `BOOKMARK` without `metadata.resourceVersion`, or an `ERROR` without a `Status`.
 * The objects are not copied: the returned event owns what `JSON.parse` built. With `prune`, the
 * object's `metadata.managedFields` is removed from the line before it is parsed (`pruneManagedFields`).
 * With `keepText`, a change's object gets the line (pruned) attached as its text, for a compact store
 * (`attachSourceText`): the line is a flat string of its own, and a pruned line is flattened by the parse.
 */
export function parseWatchEvent<T extends KubeObject = KubeObject>(
  line: string,
  prune = false,
  keepText = false,
): WatchEvent<T> {
  // Text the scanner cannot prove its cut on is parsed whole and pruned afterwards, with the same result.
  const pruned = prune ? pruneManagedFields(line, 'watchEvent') : line;
  let event: unknown;
  try {
    event = JSON.parse(pruned ?? line);
  } catch (error) {
    throw new MalformedWatchEventError(line, 'not JSON', error);
  }
  if (typeof event !== 'object' || event === null) {
    throw new MalformedWatchEventError(line, 'not a JSON object');
  }
  const { type, object } = event as { type?: unknown; object?: unknown };
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    throw new MalformedWatchEventError(line, 'no object');
  }
  if (pruned === undefined) deleteManagedFields(object);
  const metadata = (object as KubeObject).metadata;
  switch (type) {
    case 'ADDED':
    case 'MODIFIED':
    case 'DELETED':
      if (typeof metadata?.name !== 'string' || metadata.name === '') {
        throw new MalformedWatchEventError(line, `${type} object without metadata.name`);
      }
      if (keepText) {
        // When the scanner gave up, the line still holds managedFields: keep the pruned event instead.
        attachSourceText(object, pruned === undefined ? JSON.stringify(event) : pruned, 'event');
      }
      return event as WatchChange<T>;
    case 'BOOKMARK':
      if (typeof metadata?.resourceVersion !== 'string' || metadata.resourceVersion === '') {
        throw new MalformedWatchEventError(line, 'BOOKMARK without metadata.resourceVersion');
      }
      return event as WatchBookmark;
    case 'ERROR':
      if (parseApiStatus(object) === undefined) {
        throw new MalformedWatchEventError(line, 'ERROR event without a Status object');
      }
      return event as WatchErrorEvent;
    default:
      throw new MalformedWatchEventError(line, `unknown event type ${JSON.stringify(type)}`);
  }
}

/**
 * The events of a watch response body, in order. Throws like `parseWatchEvent` and `WatchLineDecoder`;
 * ending the iteration early releases the body.
 */
export async function* readWatchEvents<T extends KubeObject = KubeObject>(
  body: AsyncIterable<Uint8Array>,
  options?: WatchLineDecoderOptions,
): AsyncGenerator<WatchEvent<T>, void, undefined> {
  const decoder = new WatchLineDecoder(options);
  for await (const chunk of body) {
    for (const line of decoder.push(chunk)) yield parseWatchEvent<T>(line);
  }
  for (const line of decoder.end()) yield parseWatchEvent<T>(line);
}
