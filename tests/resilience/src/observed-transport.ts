import type { Transport, TransportRequest, TransportResponse } from '@kubeinformers/core';

/** What an `ObservedTransport` has seen, by kind of request. */
export interface RequestCounts {
  /** First pages of lists: one per snapshot attempt. */
  lists: number;
  /** Of those, lists without `limit` (the retry after a continue token expired). */
  unpaginatedLists: number;
  /** Later pages (requests carrying a `continue` token). */
  listContinuations: number;
  watches: number;
}

/**
 * Wraps a transport to count requests by kind and to run a hook just before a request is sent (to
 * inject a server-side fault at a precise point, such as expiring a continue token mid-list).
 */
export class ObservedTransport implements Transport {
  readonly counts: RequestCounts = { lists: 0, unpaginatedLists: 0, listContinuations: 0, watches: 0 };
  /** Called synchronously before each request is forwarded. */
  beforeRequest: ((request: TransportRequest) => void) | undefined;

  constructor(private readonly inner: Transport) {}

  request(request: TransportRequest): Promise<TransportResponse> {
    const query = request.query ?? {};
    if (query.watch === 'true' || query.watch === '1') this.counts.watches += 1;
    else if (query.continue !== undefined) this.counts.listContinuations += 1;
    else {
      this.counts.lists += 1;
      if (query.limit === undefined) this.counts.unpaginatedLists += 1;
    }
    this.beforeRequest?.(request);
    return this.inner.request(request);
  }
}
