import type { IncomingMessage } from 'node:http';
import { ApiStatusError, badRequest } from '../storage/api-status-error.js';
import { type PatchType, patchContentTypes } from '../storage/object-patch.js';

// The API server refuses request bodies above 3 MiB.
const maximumBodyBytes = 3 * 1024 * 1024;

/** The request's media type, without parameters (`application/json; charset=utf-8` → `application/json`). */
function mediaTypeOf(request: IncomingMessage, fallback: string): string {
  return (request.headers['content-type'] ?? fallback).split(';')[0]!.trim();
}

/** Whether the body is a server-side apply configuration (`application/apply-patch+yaml`). */
export function isApplyPatch(request: IncomingMessage): boolean {
  return mediaTypeOf(request, '') === 'application/apply-patch+yaml';
}

/** The patch format named by the `Content-Type`; an unknown one is a 415 listing the accepted ones. */
export function patchTypeOf(request: IncomingMessage): PatchType {
  const patchType = patchContentTypes[mediaTypeOf(request, '')];
  if (patchType !== undefined) return patchType;
  throw new ApiStatusError({
    code: 415,
    reason: 'UnsupportedMediaType',
    message: `the body of the request was in an unknown format - accepted media types include: ${Object.keys(patchContentTypes).join(', ')}`,
  });
}

/**
 * Bodies must be JSON. Typed Go clients (`kubectl create configmap`) send protobuf first; the 415 tells
 * client-go to retry the request as JSON.
 */
export function requireJsonBody(request: IncomingMessage): void {
  const contentType = mediaTypeOf(request, 'application/json');
  if (contentType === 'application/json' || contentType === '' || contentType === '*/*') return;
  throw new ApiStatusError({
    code: 415,
    reason: 'UnsupportedMediaType',
    message: `the body of the request was in an unknown format - accepted media types include: application/json`,
  });
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`the body of the request could not be decoded as JSON: ${(error as Error).message}`);
  }
}

/** The whole body as text; more than the API server's 3 MiB limit is a 413. */
export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maximumBodyBytes) {
      throw new ApiStatusError({
        code: 413,
        reason: 'BadRequest',
        message: 'Request entity too large: limit is 3145728',
      });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A JSON body of a create or update: the media type is checked before the body is read. */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  requireJsonBody(request);
  return parseJson(await readBody(request));
}
