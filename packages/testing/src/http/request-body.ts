import type { IncomingMessage } from 'node:http';
import { ApiStatusError, badRequest } from '../storage/api-status-error.js';
import { type PatchType, patchContentTypes } from '../storage/object-patch.js';
import { decodeProtobufBody, protobufContentType } from './protobuf/protobuf-body.js';

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

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`the body of the request could not be decoded as JSON: ${(error as Error).message}`);
  }
}

/** The whole body; more than the API server's 3 MiB limit is a 413. */
export async function readBodyBytes(request: IncomingMessage): Promise<Buffer> {
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
  return Buffer.concat(chunks);
}

/** The whole body as text; more than the API server's 3 MiB limit is a 413. */
export async function readBody(request: IncomingMessage): Promise<string> {
  return (await readBodyBytes(request)).toString('utf8');
}

/**
 * The object a create, update, delete or subresource request carries, as JSON: a JSON body is parsed, a
 * Kubernetes protobuf body (what kubectl ≥ 1.32 and typed Go clients send) is decoded into the JSON the
 * same object has. An empty body is `undefined`. Any other media type is a 415 listing the accepted ones;
 * the media type is checked before the body is read.
 */
export async function readObjectBody(request: IncomingMessage): Promise<unknown> {
  const mediaType = mediaTypeOf(request, 'application/json').toLowerCase();
  const isJson = mediaType === 'application/json' || mediaType === '' || mediaType === '*/*';
  if (!isJson && mediaType !== protobufContentType) {
    throw new ApiStatusError({
      code: 415,
      reason: 'UnsupportedMediaType',
      message: `the body of the request was in an unknown format - accepted media types include: application/json, ${protobufContentType}`,
    });
  }
  const bytes = await readBodyBytes(request);
  if (!isJson) return bytes.length === 0 ? undefined : decodeProtobufBody(bytes);
  const text = bytes.toString('utf8');
  return text.trim() === '' ? undefined : parseJson(text);
}
