import type { KubeInformersError } from '../errors/kube-informers-error.js';

/**
 * What a failed list or watch calls for, by the kind of failure:
 * - `expired`: 410; the resource version or continue token is older than the server's history.
 * - `tooLarge`: 504 `ResourceVersionTooLarge`; the resource version is newer than the server has.
 * - `stalled`: the connection went silent and was closed; reopen at once.
 * - `throttled`: 429; wait `retryAfterSeconds`, and at least the backoff.
 * - `rejected`: 400/403/405/422, which on a streaming list means the server does not support it.
 * - `failed`: anything else (network, 5xx, 401, a malformed response); back off and retry.
 */
export type ListWatchFailure =
  | { readonly kind: 'expired' | 'tooLarge' | 'stalled' | 'failed' }
  | { readonly kind: 'rejected'; readonly statusCode: number }
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number | undefined };

/**
 * Status codes with which a server refuses `sendInitialEvents`: servers without the streaming list
 * answer 422 (`resourceVersionMatch` on a watch) or 400; 403 and 405 come from policies and proxies.
 */
const streamingRejectionCodes: ReadonlySet<number> = new Set([400, 403, 405, 422]);

/** Classifies by `code` (and `statusCode`, which responses that are not a Status also carry). */
export function classifyFailure(error: KubeInformersError): ListWatchFailure {
  switch (error.code) {
    case 'KI_WATCH_EXPIRED':
      return { kind: 'expired' };
    case 'KI_RESOURCE_VERSION_TOO_LARGE':
      return { kind: 'tooLarge' };
    case 'KI_WATCH_STALLED':
      return { kind: 'stalled' };
    default: {
      const { statusCode, retryAfterSeconds } = error as {
        statusCode?: unknown;
        retryAfterSeconds?: unknown;
      };
      if (statusCode === 429) {
        return {
          kind: 'throttled',
          retryAfterSeconds: typeof retryAfterSeconds === 'number' ? retryAfterSeconds : undefined,
        };
      }
      if (typeof statusCode === 'number' && streamingRejectionCodes.has(statusCode)) {
        return { kind: 'rejected', statusCode };
      }
      return { kind: 'failed' };
    }
  }
}
