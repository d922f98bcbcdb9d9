import type { Transport, TransportRequest, TransportResponse } from '@kubeinformers/core';

/** What a request came to, as seen below core: the facts a health display is built from. */
export type RequestOutcome =
  | { readonly type: 'responded'; readonly status: number; readonly watch: boolean }
  | { readonly type: 'failed'; readonly error: unknown }
  | { readonly type: 'broken'; readonly error: unknown; readonly aborted: boolean };

/**
 * Wraps `transport` and reports every request's outcome by API path: a response (with its status), a
 * request that failed before one (network, refused connection), or a body that broke off (`aborted` when
 * core gave up on it, e.g. a stalled watch). Bytes pass through untouched.
 */
export function observedTransport(
  transport: Transport,
  observe: (path: string, outcome: RequestOutcome) => void,
): Transport {
  return {
    async request(request: TransportRequest): Promise<TransportResponse> {
      let response: TransportResponse;
      try {
        response = await transport.request(request);
      } catch (error) {
        if (!request.signal.aborted) observe(request.path, { type: 'failed', error });
        throw error;
      }
      const watch = request.query?.watch !== undefined && request.query.watch !== 'false';
      observe(request.path, { type: 'responded', status: response.status, watch });
      return {
        ...response,
        body: {
          async *[Symbol.asyncIterator]() {
            try {
              yield* response.body;
            } catch (error) {
              observe(request.path, { type: 'broken', error, aborted: request.signal.aborted });
              throw error;
            }
          },
        },
      };
    },
  };
}
