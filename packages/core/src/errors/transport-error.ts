import { KubeInformersError } from './kube-informers-error.js';

/**
 * The transport failed: connection refused or reset, TLS failure, a body that broke off mid-stream.
 * `cause` is the transport's own error. Retried with backoff.
 */
export class TransportError extends KubeInformersError {
  static readonly code = 'KI_TRANSPORT_ERROR';
  readonly code = TransportError.code;
  readonly name = 'TransportError';

  constructor(
    /** The API path of the request, without its query. */
    readonly path: string,
    cause: unknown,
  ) {
    super(`request to ${path} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
