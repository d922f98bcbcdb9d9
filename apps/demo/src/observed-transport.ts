import type { Transport } from '@kubeinformers/core';

/** A list or watch request an informer made, as the demo reports it. */
export interface ObservedRequest {
  readonly kind: 'list' | 'watch';
  /** The resource's plural name, e.g. `pods`. */
  readonly resource: string;
  /** The resource version asked for; `undefined` for a consistent read of the latest state. */
  readonly resourceVersion: string | undefined;
  /** A later page of a paginated list (it carries a `continue` token), not a new list. */
  readonly continued: boolean;
}

/**
 * A `Transport` that tells `observe` about every request before passing it on unchanged. Core keeps the
 * loop's recoveries (rewatches, relists) to itself; watching its requests makes them visible, and shows
 * how little a transport decorator needs.
 */
export function observedTransport(
  transport: Transport,
  observe: (request: ObservedRequest) => void,
): Transport {
  return {
    request(request) {
      const watch = request.query?.watch;
      observe({
        kind: watch === 'true' || watch === '1' ? 'watch' : 'list',
        resource: request.path.slice(request.path.lastIndexOf('/') + 1),
        resourceVersion: request.query?.resourceVersion,
        continued: request.query?.continue !== undefined,
      });
      return transport.request(request);
    },
  };
}
