import { badRequest } from './api-status-error.js';

/**
 * The position of a paginated list: the snapshot's resourceVersion and the key to resume after. Encoded
 * like the API server's tokens (base64 of a small JSON document); `resourceVersion: -1` marks a token
 * handed out after the snapshot expired, which continues over the latest state instead.
 */
export interface ContinueToken {
  readonly resourceVersion: number;
  /** Resume at the first key `>= start` (the last returned key plus `\0`). */
  readonly start: string;
}

export function encodeContinueToken(token: ContinueToken): string {
  return Buffer.from(
    JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.resourceVersion, start: token.start }),
    'utf8',
  ).toString('base64url');
}

export function decodeContinueToken(text: string): ContinueToken {
  try {
    const decoded = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as {
      v?: unknown;
      rv?: unknown;
      start?: unknown;
    };
    if (
      decoded.v === 'meta.k8s.io/v1' &&
      typeof decoded.rv === 'number' &&
      typeof decoded.start === 'string'
    ) {
      return { resourceVersion: decoded.rv, start: decoded.start };
    }
  } catch {
    // fall through to the error below
  }
  throw badRequest(`continue key is not valid: ${JSON.stringify(text)}`);
}
