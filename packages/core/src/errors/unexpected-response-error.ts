import { KubeInformersError } from './kube-informers-error.js';

/**
 * A response that is not what the Kubernetes API sends: an error page from a proxy (an HTML 502), a list
 * body that is not a list, a non-JSON content type. Carries the status, the content type and a short,
 * credential-scrubbed excerpt of the body. Retried with backoff.
 */
export class UnexpectedResponseError extends KubeInformersError {
  static readonly code = 'KI_UNEXPECTED_RESPONSE';
  readonly code = UnexpectedResponseError.code;
  readonly name = 'UnexpectedResponseError';

  constructor(
    readonly statusCode: number,
    readonly contentType: string | undefined,
    readonly excerpt: string,
    problem: string,
    /** From a `Retry-After` header, when the response had one. */
    readonly retryAfterSeconds?: number | undefined,
  ) {
    super(
      `unexpected response (status ${statusCode}, content-type ${contentType ?? 'none'}): ${problem}` +
        (excerpt === '' ? '' : `; body starts with ${JSON.stringify(excerpt)}`),
    );
  }
}
