import type { ServerResponse } from 'node:http';
import { ApiStatusError } from '../storage/api-status-error.js';

export function sendJson(
  response: ServerResponse,
  statusCode: number,
  body: string | object,
  contentType = 'application/json',
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  if (response.headersSent) {
    response.end();
    return;
  }
  response.writeHead(statusCode, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-cache, private',
  });
  response.end(text);
}

/** Writes an error as the API server does: a `Status` body, and `Retry-After` when it suggests one. */
export function sendError(response: ServerResponse, error: unknown): void {
  const status =
    error instanceof ApiStatusError
      ? error
      : new ApiStatusError({
          code: 500,
          reason: 'InternalError',
          message: `Internal error occurred: ${error instanceof Error ? error.message : String(error)}`,
        });
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const retryAfter = status.details?.retryAfterSeconds;
  if (retryAfter !== undefined) response.setHeader('retry-after', String(retryAfter));
  sendJson(response, status.statusCode, status.toStatus());
}

/** Resolves once `response` can take more data, or rejects when the client went away first. */
export function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      response.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      response.off('drain', onDrain);
      reject(new Error('client disconnected'));
    };
    response.once('drain', onDrain);
    response.once('close', onClose);
  });
}
