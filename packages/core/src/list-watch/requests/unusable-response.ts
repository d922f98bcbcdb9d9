import type { ApiError } from '../../errors/api-error.js';
import { UnexpectedResponseError } from '../../errors/unexpected-response-error.js';
import { bodyExcerpt, errorFromResponse } from '../../protocol/api-status.js';
import type { TransportResponse } from '../../protocol/transport.js';
import type { RequestScope } from './request-scope.js';
import { readBodyText } from './request-scope.js';

/**
 * The failure a list or watch response stands for before its body is decoded: a non-2xx status becomes
 * the typed error its Status says, and a 2xx body that is not JSON (an HTML error page from a proxy, say)
 * an `UnexpectedResponseError` naming what was `expected`. `undefined` means the body is ours to decode.
 * Only a bounded excerpt of a failing body is read.
 */
export async function unusableResponseFailure(
  response: TransportResponse,
  scope: RequestScope,
  resourceVersion: string | undefined,
  expected: string,
): Promise<ApiError | UnexpectedResponseError | undefined> {
  const contentType = response.headers['content-type'];
  if (response.status < 200 || response.status > 299) {
    const text = await readBodyText(response.body, scope);
    return errorFromResponse(response.status, response.headers, text, resourceVersion);
  }
  if (contentType !== undefined && !contentType.includes('json')) {
    const text = await readBodyText(response.body, scope);
    return new UnexpectedResponseError(response.status, contentType, bodyExcerpt(text), expected);
  }
  return undefined;
}
