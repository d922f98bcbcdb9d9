import type { ApiErrorContext } from '../errors/api-error.js';
import {
  ApiError,
  ApiServerError,
  ForbiddenError,
  ResourceVersionTooLargeError,
  TooManyRequestsError,
  UnauthorizedError,
  WatchExpiredError,
} from '../errors/api-error.js';
import { UnexpectedResponseError } from '../errors/unexpected-response-error.js';

/** The decoded Kubernetes `Status` object an API server sends with a failure. */
export interface ApiStatus {
  readonly kind?: string;
  readonly apiVersion?: string;
  readonly status?: string;
  readonly message?: string;
  readonly reason?: string;
  readonly code?: number;
  readonly details?: ApiStatusDetails;
  readonly metadata?: { readonly resourceVersion?: string; readonly continue?: string };
}

export interface ApiStatusDetails {
  readonly name?: string;
  readonly group?: string;
  readonly kind?: string;
  readonly uid?: string;
  readonly causes?: readonly ApiStatusCause[];
  readonly retryAfterSeconds?: number;
}

export interface ApiStatusCause {
  readonly reason?: string;
  readonly message?: string;
  readonly field?: string;
}

/** Status codes for a Status that has a `reason` but no `code` (rare; old or non-conforming servers). */
const codeByReason: Readonly<Record<string, number>> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  AlreadyExists: 409,
  Gone: 410,
  Expired: 410,
  Invalid: 422,
  TooManyRequests: 429,
  InternalError: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
};

const excerptLength = 200;

/** `value` as a `Status`, or `undefined` when it is not one. */
export function parseApiStatus(value: unknown): ApiStatus | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const candidate = value as ApiStatus;
  if (candidate.kind === 'Status') return candidate;
  // Some proxies and aggregated servers drop `kind`; a failure status with a code is still a Status.
  return candidate.status === 'Failure' && typeof candidate.code === 'number' ? candidate : undefined;
}

/** The status code a `Status` stands for: its `code`, else the code of its `reason`, else `fallback`. */
export function statusCodeOf(status: ApiStatus, fallback: number): number {
  if (typeof status.code === 'number' && status.code > 0) return status.code;
  return (status.reason === undefined ? undefined : codeByReason[status.reason]) ?? fallback;
}

/**
 * The typed error for a failure: by status code, and for 504 by its cause (`ResourceVersionTooLarge`
 * in `details.causes`, or in the message as servers before the cause existed wrote it).
 */
export function apiErrorFor(context: ApiErrorContext): ApiError {
  const { statusCode, status } = context;
  switch (statusCode) {
    case 401:
      return new UnauthorizedError(context);
    case 403:
      return new ForbiddenError(context);
    case 410:
      return new WatchExpiredError(context);
    case 429:
      return new TooManyRequestsError(context);
    default:
      if (statusCode === 504 && status !== undefined && isResourceVersionTooLarge(status)) {
        return new ResourceVersionTooLargeError(context);
      }
      return statusCode >= 500 ? new ApiServerError(context) : new ApiError(context);
  }
}

function isResourceVersionTooLarge(status: ApiStatus): boolean {
  if (status.details?.causes?.some((cause) => cause.reason === 'ResourceVersionTooLarge') === true) {
    return true;
  }
  return status.message?.includes('Too large resource version') === true;
}

/** The typed error carried by a watch `ERROR` event's `Status`. */
export function apiErrorFromStatus(status: ApiStatus, resourceVersion: string | undefined): ApiError {
  return apiErrorFor({
    // An ERROR event without a usable code is still a failure; 500 makes it one that is retried.
    statusCode: statusCodeOf(status, 500),
    status,
    retryAfterSeconds: validRetryAfter(status.details?.retryAfterSeconds),
    resourceVersion,
  });
}

/**
 * The typed error for a non-2xx response: an `ApiError` subclass when the body is a `Status`, otherwise
 * `UnexpectedResponseError` naming the status, the content type and the start of the body.
 */
export function errorFromResponse(
  statusCode: number,
  headers: Readonly<Record<string, string | undefined>>,
  bodyText: string,
  resourceVersion: string | undefined,
): ApiError | UnexpectedResponseError {
  const contentType = headers['content-type'];
  const headerRetryAfter = parseRetryAfter(headers['retry-after']);
  let status: ApiStatus | undefined;
  if (contentType === undefined || contentType.includes('json')) {
    try {
      status = parseApiStatus(JSON.parse(bodyText));
    } catch {
      status = undefined;
    }
  }
  if (status === undefined) {
    return new UnexpectedResponseError(
      statusCode,
      contentType,
      bodyExcerpt(bodyText),
      'the body is not a Kubernetes Status',
      headerRetryAfter,
    );
  }
  return apiErrorFor({
    statusCode,
    status,
    retryAfterSeconds: headerRetryAfter ?? validRetryAfter(status.details?.retryAfterSeconds),
    resourceVersion,
  });
}

/** `Retry-After` in seconds; the HTTP-date form is not used by Kubernetes and is ignored. */
export function parseRetryAfter(header: string | undefined): number | undefined {
  if (header === undefined || !/^\s*\d+\s*$/.test(header)) return undefined;
  return Number.parseInt(header, 10);
}

function validRetryAfter(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * The start of a body for an error message, whitespace collapsed and anything shaped like a credential
 * (a bearer or basic token a proxy might echo back) blanked out.
 */
export function bodyExcerpt(bodyText: string): string {
  const collapsed = bodyText
    .slice(0, excerptLength * 4)
    .replace(/\s+/g, ' ')
    .trim();
  const scrubbed = collapsed.replace(/\b(bearer|basic)\s+[^\s"'<>,;]+/gi, '$1 [redacted]');
  return scrubbed.length > excerptLength ? `${scrubbed.slice(0, excerptLength)}…` : scrubbed;
}
