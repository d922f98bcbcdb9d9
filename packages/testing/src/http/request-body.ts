import type { IncomingMessage } from 'node:http';
import { ApiStatusError, badRequest } from '../api-status-error.js';
import { decodeProtobufBody, protobufContentType } from './protobuf-body.js';

// The API server refuses request bodies above 3 MiB.
const maximumBodyBytes = 3 * 1024 * 1024;

/** The media type of a request body, without parameters; `application/json` when none is given. */
export function bodyMediaType(request: IncomingMessage): string {
  return (request.headers['content-type'] ?? 'application/json').split(';')[0]!.trim().toLowerCase();
}

/** Reads a whole request body, refusing more than the API server's 3 MiB with a 413. */
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

/**
 * The object a create, update, delete or subresource request carries, as JSON: a JSON body is parsed, a
 * Kubernetes protobuf body (what kubectl ≥ 1.32 and typed Go clients send) is decoded into the JSON the
 * same object has. An empty body is `undefined`. Any other media type is a 415.
 */
export async function readObjectBody(request: IncomingMessage): Promise<unknown> {
  const mediaType = bodyMediaType(request);
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
  if (text.trim() === '') return undefined;
  return parseJsonBody(text);
}

export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`the body of the request could not be decoded as JSON: ${(error as Error).message}`);
  }
}
