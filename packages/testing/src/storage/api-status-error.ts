import { KubeInformersError } from '@kubeinformers/core';

/** The `reason` values of a failed `Status`, as the API server spells them. */
export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'Timeout'
  | 'TooManyRequests'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'InternalError'
  | 'ServiceUnavailable';

export interface StatusCause {
  readonly reason?: string;
  readonly message?: string;
  readonly field?: string;
}

export interface StatusDetails {
  readonly name?: string;
  readonly group?: string;
  readonly kind?: string;
  readonly causes?: readonly StatusCause[];
  readonly retryAfterSeconds?: number;
}

/** A `meta.k8s.io/v1` `Status` object, the body of every error the API server returns. */
export interface Status {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: { readonly continue?: string; readonly resourceVersion?: string };
  readonly status: 'Failure' | 'Success';
  readonly message: string;
  readonly reason?: StatusReason;
  readonly details?: StatusDetails;
  readonly code: number;
}

export interface ApiStatusErrorInit {
  readonly code: number;
  /** Absent: the API server's `StatusReasonUnknown`, which its JSON omits (errors not made as a Status). */
  readonly reason: StatusReason | undefined;
  readonly message: string;
  readonly details?: StatusDetails;
  /** Sent as `metadata.continue` of the Status (an expired continue token's replacement). */
  readonly continueToken?: string;
}

/**
 * A request the fake server refuses, carrying the exact `Status` it answers with. Thrown by the in-process
 * store API too (`server.store.create` of an existing object throws one with `code` 409), so tests can
 * assert on `statusCode` and `reason` without going through HTTP.
 */
export class ApiStatusError extends KubeInformersError {
  static readonly code = 'KI_FAKE_API_STATUS';
  readonly code = ApiStatusError.code;
  readonly name = 'ApiStatusError';
  readonly statusCode: number;
  readonly reason: StatusReason | undefined;
  readonly details: StatusDetails | undefined;
  readonly continueToken: string | undefined;

  constructor(init: ApiStatusErrorInit) {
    super(init.message);
    this.statusCode = init.code;
    this.reason = init.reason;
    this.details = init.details;
    this.continueToken = init.continueToken;
  }

  /** The `Status` body the server writes for this error. */
  toStatus(): Status {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: this.continueToken === undefined ? {} : { continue: this.continueToken },
      status: 'Failure',
      message: this.message,
      ...(this.reason === undefined ? {} : { reason: this.reason }),
      ...(this.details === undefined ? {} : { details: this.details }),
      code: this.statusCode,
    };
  }
}

/** Identifies an object in error messages the way the API server does: `pods "web-0"`. */
export interface ObjectReference {
  readonly resource: string;
  readonly group: string;
  readonly kind: string;
  readonly name: string;
}

export function notFound(target: ObjectReference): ApiStatusError {
  return new ApiStatusError({
    code: 404,
    reason: 'NotFound',
    message: `${qualified(target)} "${target.name}" not found`,
    details: { name: target.name, group: target.group, kind: target.resource },
  });
}

export function alreadyExists(target: ObjectReference): ApiStatusError {
  return new ApiStatusError({
    code: 409,
    reason: 'AlreadyExists',
    message: `${qualified(target)} "${target.name}" already exists`,
    details: { name: target.name, group: target.group, kind: target.resource },
  });
}

/** The optimistic-concurrency failure of a write carrying a stale `metadata.resourceVersion`. */
export function conflict(target: ObjectReference, why: string): ApiStatusError {
  return new ApiStatusError({
    code: 409,
    reason: 'Conflict',
    message: `Operation cannot be fulfilled on ${qualified(target)} "${target.name}": ${why}`,
    details: { name: target.name, group: target.group, kind: target.resource },
  });
}

/** A 422 naming every offending field, like the API server's field validation errors. */
export function invalid(target: ObjectReference, causes: readonly Required<StatusCause>[]): ApiStatusError {
  const summary = causes.map((cause) => `${cause.field}: ${cause.message}`).join(', ');
  return new ApiStatusError({
    code: 422,
    reason: 'Invalid',
    message: `${target.kind} "${target.name}" is invalid: ${summary}`,
    details: { name: target.name, group: target.group, kind: target.kind, causes },
  });
}

export function badRequest(message: string): ApiStatusError {
  return new ApiStatusError({ code: 400, reason: 'BadRequest', message });
}

/** `410 Expired` for a resourceVersion older than the retained history (the message format of the cacher). */
export function tooOldResourceVersion(requested: string, oldest: number): ApiStatusError {
  return new ApiStatusError({
    code: 410,
    reason: 'Expired',
    message: `too old resource version: ${requested} (${oldest})`,
  });
}

/** `504` for a resourceVersion the server has not reached; clients relist with resourceVersion unset. */
export function resourceVersionTooLarge(requested: string, current: number): ApiStatusError {
  return new ApiStatusError({
    code: 504,
    reason: 'Timeout',
    message: `Too large resource version: ${requested}, current: ${current}`,
    details: {
      causes: [
        {
          reason: 'ResourceVersionTooLarge',
          message: `Too large resource version: ${requested}, current: ${current}`,
        },
      ],
      // The apiserver suggests a one-second retry for this condition.
      retryAfterSeconds: 1,
    },
  });
}

function qualified(target: ObjectReference): string {
  return target.group === '' ? target.resource : `${target.resource}.${target.group}`;
}
