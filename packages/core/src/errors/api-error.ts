import type { ApiStatus } from '../protocol/api-status.js';
import { KubeInformersError } from './kube-informers-error.js';

/** What is known about a failed request besides the `Status` itself. */
export interface ApiErrorContext {
  /** The HTTP status, or the `code` of a Status carried by a watch `ERROR` event. */
  readonly statusCode: number;
  readonly status?: ApiStatus | undefined;
  /** From the `Retry-After` header, else from `details.retryAfterSeconds`. */
  readonly retryAfterSeconds?: number | undefined;
  /** The resource version the failed request asked for, when it asked for one. */
  readonly resourceVersion?: string | undefined;
}

export type ApiErrorCode =
  | 'KI_API_ERROR'
  | 'KI_API_UNAUTHORIZED'
  | 'KI_API_FORBIDDEN'
  | 'KI_WATCH_EXPIRED'
  | 'KI_RESOURCE_VERSION_TOO_LARGE'
  | 'KI_TOO_MANY_REQUESTS'
  | 'KI_API_SERVER_ERROR';

const apiErrorCodes: ReadonlySet<string> = new Set<ApiErrorCode>([
  'KI_API_ERROR',
  'KI_API_UNAUTHORIZED',
  'KI_API_FORBIDDEN',
  'KI_WATCH_EXPIRED',
  'KI_RESOURCE_VERSION_TOO_LARGE',
  'KI_TOO_MANY_REQUESTS',
  'KI_API_SERVER_ERROR',
]);

/**
 * The API server answered with a failure (an HTTP status or a watch `ERROR` event carrying a `Status`).
 * This class itself stands for failures without a more specific class (`KI_API_ERROR`: 400, 404, 422…);
 * `instanceof ApiError` is true for every subclass too. Never carries request headers.
 */
export class ApiError extends KubeInformersError {
  static readonly code: ApiErrorCode = 'KI_API_ERROR';
  readonly code: ApiErrorCode = 'KI_API_ERROR';
  readonly name: string = 'ApiError';
  readonly statusCode: number;
  /** The Status `reason` (`Expired`, `Forbidden`, …), when the server gave one. */
  readonly reason: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly resourceVersion: string | undefined;
  readonly status: ApiStatus | undefined;

  constructor(context: ApiErrorContext) {
    const { statusCode, status } = context;
    const reason = status?.reason === undefined || status.reason === '' ? '' : ` ${status.reason}`;
    const detail = status?.message === undefined || status.message === '' ? '' : `: ${status.message}`;
    super(`API server answered ${statusCode}${reason}${detail}`);
    this.statusCode = statusCode;
    this.reason = status?.reason;
    this.retryAfterSeconds = context.retryAfterSeconds;
    this.resourceVersion = context.resourceVersion;
    this.status = status;
  }

  // Any code of the family matches `ApiError` across package copies; subclasses match their own code.
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: the class being tested against, by design.
    if (this !== ApiError) return super[Symbol.hasInstance](value);
    return (
      KubeInformersError[Symbol.hasInstance](value) &&
      apiErrorCodes.has((value as { readonly code: string }).code)
    );
  }
}

/** 401: the credentials were refused. Retried with backoff, since credentials rotate. */
export class UnauthorizedError extends ApiError {
  static override readonly code = 'KI_API_UNAUTHORIZED';
  override readonly code = UnauthorizedError.code;
  override readonly name = 'UnauthorizedError';
}

/** 403: the identity may not list or watch this resource. Retried with backoff (RBAC may change). */
export class ForbiddenError extends ApiError {
  static override readonly code = 'KI_API_FORBIDDEN';
  override readonly code = ForbiddenError.code;
  override readonly name = 'ForbiddenError';
}

/**
 * 410 (`Expired`, or `Gone` before Kubernetes 1.18): the requested resource version or continue token
 * is older than the server's history. Recovered by a relist.
 */
export class WatchExpiredError extends ApiError {
  static override readonly code = 'KI_WATCH_EXPIRED';
  override readonly code = WatchExpiredError.code;
  override readonly name = 'WatchExpiredError';
}

/**
 * 504 with cause `ResourceVersionTooLarge`: the requested resource version is newer than the server has
 * (a client that talked to a more current API server). Recovered by a relist with no resource version.
 */
export class ResourceVersionTooLargeError extends ApiError {
  static override readonly code = 'KI_RESOURCE_VERSION_TOO_LARGE';
  override readonly code = ResourceVersionTooLargeError.code;
  override readonly name = 'ResourceVersionTooLargeError';
}

/** 429: the server sheds load; retried after `retryAfterSeconds`, and never sooner than the backoff. */
export class TooManyRequestsError extends ApiError {
  static override readonly code = 'KI_TOO_MANY_REQUESTS';
  override readonly code = TooManyRequestsError.code;
  override readonly name = 'TooManyRequestsError';
}

/** 5xx: the server (or a proxy in front of it) failed; retried with backoff. */
export class ApiServerError extends ApiError {
  static override readonly code = 'KI_API_SERVER_ERROR';
  override readonly code = ApiServerError.code;
  override readonly name = 'ApiServerError';
}
