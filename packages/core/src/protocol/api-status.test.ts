import { describe, expect, it } from 'vitest';
import {
  ApiError,
  ApiServerError,
  ForbiddenError,
  ResourceVersionTooLargeError,
  TooManyRequestsError,
  UnauthorizedError,
  WatchExpiredError,
} from '../errors/api-error.js';
import { KubeInformersError } from '../errors/kube-informers-error.js';
import { UnexpectedResponseError } from '../errors/unexpected-response-error.js';
import { apiErrorFromStatus, bodyExcerpt, errorFromResponse, parseApiStatus } from './api-status.js';

const json = { 'content-type': 'application/json' };

function status(code: number, reason: string, message: string, details?: object): string {
  return JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    code,
    reason,
    message,
    details,
  });
}

describe('errorFromResponse', () => {
  it.each([
    [401, 'Unauthorized', UnauthorizedError, 'KI_API_UNAUTHORIZED'],
    [403, 'Forbidden', ForbiddenError, 'KI_API_FORBIDDEN'],
    [410, 'Expired', WatchExpiredError, 'KI_WATCH_EXPIRED'],
    [410, 'Gone', WatchExpiredError, 'KI_WATCH_EXPIRED'],
    [429, 'TooManyRequests', TooManyRequestsError, 'KI_TOO_MANY_REQUESTS'],
    [500, 'InternalError', ApiServerError, 'KI_API_SERVER_ERROR'],
    [503, 'ServiceUnavailable', ApiServerError, 'KI_API_SERVER_ERROR'],
    [504, 'Timeout', ApiServerError, 'KI_API_SERVER_ERROR'],
    [404, 'NotFound', ApiError, 'KI_API_ERROR'],
    [422, 'Invalid', ApiError, 'KI_API_ERROR'],
  ])('maps %i %s to its class', (code, reason, type, errorCode) => {
    const error = errorFromResponse(code, json, status(code, reason, 'it failed'), '42');
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(KubeInformersError);
    expect(error).toMatchObject({ code: errorCode, statusCode: code, reason, resourceVersion: '42' });
    expect(error.message).toBe(`API server answered ${code} ${reason}: it failed`);
  });

  it('recognises a 504 caused by a resource version newer than the server has', () => {
    const body = status(504, 'Timeout', 'Too large resource version: 99, current: 12', {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    });
    const error = errorFromResponse(504, json, body, '99');
    expect(error).toBeInstanceOf(ResourceVersionTooLargeError);
    expect(error).toMatchObject({ code: 'KI_RESOURCE_VERSION_TOO_LARGE', retryAfterSeconds: 1 });
    // Servers before the cause existed said it only in the message.
    const old = errorFromResponse(504, json, status(504, 'Timeout', 'Too large resource version: 99'), '99');
    expect(old).toBeInstanceOf(ResourceVersionTooLargeError);
  });

  it('takes Retry-After from the header first, then from details.retryAfterSeconds', () => {
    const body = status(429, 'TooManyRequests', 'slow down', { retryAfterSeconds: 7 });
    expect(errorFromResponse(429, { ...json, 'retry-after': '3' }, body, undefined)).toMatchObject({
      retryAfterSeconds: 3,
    });
    expect(errorFromResponse(429, json, body, undefined)).toMatchObject({ retryAfterSeconds: 7 });
    expect(
      errorFromResponse(429, { ...json, 'retry-after': 'Wed, 21 Oct 2015' }, body, undefined),
    ).toMatchObject({
      retryAfterSeconds: 7,
    });
  });

  it('names status, content type and the start of a body that is not a Status', () => {
    const html = `<html><head><title>502 Bad Gateway</title></head>\n<body>${'x'.repeat(1_000)}</body></html>`;
    const error = errorFromResponse(502, { 'content-type': 'text/html' }, html, undefined);
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error).toMatchObject({
      code: 'KI_UNEXPECTED_RESPONSE',
      statusCode: 502,
      contentType: 'text/html',
    });
    expect(error.message).toContain('502');
    expect(error.message).toContain('text/html');
    expect(error.message).toContain('<title>502 Bad Gateway</title>');
    expect((error as UnexpectedResponseError).excerpt.length).toBeLessThanOrEqual(201);
    expect(errorFromResponse(500, json, '{"not":"a status"}', undefined)).toBeInstanceOf(
      UnexpectedResponseError,
    );
    expect(errorFromResponse(500, json, 'truncated {', undefined)).toBeInstanceOf(UnexpectedResponseError);
  });

  it('never repeats a credential a proxy echoed in its error page', () => {
    const page = 'denied for Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.secret-token and basic dXNlcjpwYXNz';
    const error = errorFromResponse(401, { 'content-type': 'text/plain' }, page, undefined);
    expect(error.message).not.toContain('eyJhbGciOiJSUzI1NiJ9');
    expect(error.message).not.toContain('dXNlcjpwYXNz');
    expect(bodyExcerpt(page)).toContain('Bearer [redacted]');
  });
});

describe('apiErrorFromStatus', () => {
  it('types the Status of an ERROR event by its code, or by its reason when the code is missing', () => {
    const expired = {
      kind: 'Status',
      code: 410,
      reason: 'Expired',
      message: 'too old resource version: 1 (5)',
    };
    expect(apiErrorFromStatus(expired, '1')).toBeInstanceOf(WatchExpiredError);
    expect(apiErrorFromStatus({ kind: 'Status', reason: 'Gone' }, '1')).toBeInstanceOf(WatchExpiredError);
    const unknown = apiErrorFromStatus({ kind: 'Status', message: 'odd' }, '1');
    expect(unknown).toBeInstanceOf(ApiServerError);
    expect(unknown.statusCode).toBe(500);
  });
});

describe('parseApiStatus', () => {
  it('accepts a Status, or a failure with a code when kind is missing, and nothing else', () => {
    expect(parseApiStatus({ kind: 'Status', code: 1 })).toEqual({ kind: 'Status', code: 1 });
    expect(parseApiStatus({ status: 'Failure', code: 500 })).toEqual({ status: 'Failure', code: 500 });
    expect(parseApiStatus({ kind: 'Pod' })).toBeUndefined();
    expect(parseApiStatus([])).toBeUndefined();
    expect(parseApiStatus(null)).toBeUndefined();
  });
});

describe('ApiError instanceof', () => {
  it('matches the family across package copies, and each subclass only its own code', () => {
    const brand = Symbol.for('kubeinformers.error');
    const foreignExpired = { [brand]: true, code: 'KI_WATCH_EXPIRED' };
    const foreignOther = { [brand]: true, code: 'KI_WATCH_STALLED' };
    expect(foreignExpired).toBeInstanceOf(ApiError);
    expect(foreignExpired).toBeInstanceOf(WatchExpiredError);
    expect(foreignExpired).not.toBeInstanceOf(ForbiddenError);
    expect(foreignOther).not.toBeInstanceOf(ApiError);
    expect(new ForbiddenError({ statusCode: 403 })).not.toBeInstanceOf(WatchExpiredError);
  });
});
