/**
 * The only way core reaches a cluster. A transport performs one HTTP GET and hands back the status, the
 * headers and the body as a byte stream; it knows nothing about lists, watches, retries or JSON. Everything
 * above bytes (pagination, relists, backoff, decoding) lives in core, so every transport gets it for free.
 *
 * Contract for implementers:
 * - `request` resolves as soon as the status line and headers are in; the body streams afterwards.
 * - Aborting `signal` (before or after the response arrived) releases the connection and makes a pending
 *   `request` or body iteration reject. Ending an iteration early (`break`, `return()`) also releases it.
 * - Non-2xx responses resolve normally (core decodes the `Status` body); only network failures reject.
 * - Header names are lower-case.
 * - Body chunks are handed over: the transport never reuses or changes a chunk's bytes afterwards (core
 *   holds a page's chunks until the page ends, and an unfinished watch line's).
 */
export interface Transport {
  request(request: TransportRequest): Promise<TransportResponse>;
}

export interface TransportRequest {
  /** An absolute API path such as `/api/v1/namespaces/default/pods`, without a query string. */
  readonly path: string;
  /** Query parameters; entries whose value is `undefined` are left out. */
  readonly query?: Readonly<Record<string, string | undefined>>;
  /** Extra request headers, e.g. `accept`. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
}

export interface TransportResponse {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: AsyncIterable<Uint8Array>;
}

/** Builds `path?query` with the `undefined` entries of `query` left out; used by transports and tests. */
export function requestUrlPath(request: Pick<TransportRequest, 'path' | 'query'>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) params.append(name, value);
  }
  const query = params.toString();
  return query === '' ? request.path : `${request.path}?${query}`;
}
