import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Which page origins may call the fake server from a browser: `true` for any origin, or a list of exact
 * origins (`http://localhost:5173`).
 */
export type CorsOrigins = true | readonly string[];

// Response headers a browser client reads beyond the CORS-safelisted ones: core honors `Retry-After`, and
// `Audit-Id`/`Warning` are what the API server adds for diagnostics.
const exposedHeaders = 'Retry-After, Warning, Audit-Id, Content-Encoding';
const allowedMethods = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
// Browsers cache a preflight for at most this long (Chromium caps it at 2 h); 10 min keeps a test page's
// requests from doubling without hiding a policy change for long.
const preflightMaxAgeSeconds = 600;

/**
 * CORS for the fake server, so that a page on another origin (a dev server, a test page) can list and
 * watch with `fetch`. Answers preflights itself (204, every method the server serves, the request headers
 * the browser asks for, e.g. `Authorization`) and marks every other response from an allowed origin.
 * Requests from other origins get no CORS headers, so the browser refuses them. Credentials (cookies)
 * are allowed only for listed origins, never for `true`, as the Fetch standard requires.
 */
export class CorsPolicy {
  constructor(private readonly origins: CorsOrigins) {}

  /**
   * Adds the CORS headers for `request` to `response`. Returns `true` when it answered the request
   * itself (a preflight), so the caller must not handle it further.
   */
  apply(request: IncomingMessage, response: ServerResponse): boolean {
    const origin = request.headers.origin;
    if (origin === undefined || !this.allows(origin)) return false;
    response.setHeader('Access-Control-Allow-Origin', this.origins === true ? '*' : origin);
    if (this.origins !== true) {
      response.setHeader('Access-Control-Allow-Credentials', 'true');
      response.setHeader('Vary', 'Origin');
    }
    response.setHeader('Access-Control-Expose-Headers', exposedHeaders);
    const preflightMethod = request.headers['access-control-request-method'];
    if (request.method !== 'OPTIONS' || preflightMethod === undefined) return false;
    response.setHeader('Access-Control-Allow-Methods', allowedMethods);
    const requestedHeaders = request.headers['access-control-request-headers'];
    if (requestedHeaders !== undefined) response.setHeader('Access-Control-Allow-Headers', requestedHeaders);
    response.setHeader('Access-Control-Max-Age', String(preflightMaxAgeSeconds));
    response.writeHead(204).end();
    return true;
  }

  private allows(origin: string): boolean {
    return this.origins === true || this.origins.includes(origin);
  }
}
