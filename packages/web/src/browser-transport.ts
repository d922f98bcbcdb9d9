import {
  InvalidOptionError,
  requestUrlPath,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from '@kubeinformers/core';
import { bearerTokenProtocol } from './bearer-protocol.js';
import { withEventLoopTurns } from './event-loop-turns.js';
import { readableBody } from './readable-body.js';
import { openWebSocketWatch, type WebSocketConstructor, WebSocketRefusedError } from './web-socket-watch.js';

/** How watches travel; lists always go over `fetch`. */
export type WatchChannel = 'fetch' | 'websocket';

export interface BrowserTransportOptions {
  /**
   * Where the API is: an absolute URL (`https://cluster.example:6443`, the fake server's URL) or a path
   * on the page's own origin (`/k8s`, for `kubectl proxy` or a backend behind the same origin). Default:
   * the page's origin. A trailing slash is ignored.
   */
  readonly baseUrl?: string;
  /**
   * A bearer token, or a function asked before every request (so a rotated token is used from the next
   * request on, e.g. when a watch reconnects). Sent as `Authorization: Bearer …` over `fetch`, and in the
   * `base64url.bearer.authorization.k8s.io.…` subprotocol over WebSocket. Leave it out behind a proxy
   * that authenticates for you (`kubectl proxy`, a backend with a session cookie).
   */
  readonly token?: string | (() => string | undefined | Promise<string | undefined>);
  /**
   * `fetch` (default): a streamed response body, the same request as an HTTP client's. `websocket`:
   * Kubernetes' watch-over-WebSocket, for proxies that buffer streamed responses; a refused handshake is
   * asked again over `fetch` so that core sees the server's status (401, 403, 410…).
   */
  readonly watch?: WatchChannel;
  /**
   * Subprotocols offered on a WebSocket watch next to the token's. The API server removes the token's
   * entry and echoes one of these, and a browser drops a connection whose server echoes none, so keep at
   * least one. Default `['base64.binary.k8s.io']`, which watch handlers accept and ignore.
   */
  readonly webSocketProtocols?: readonly string[];
  /** Extra headers on every `fetch` request (not on WebSockets, which cannot carry them). */
  readonly headers?: Readonly<Record<string, string>>;
  /** `fetch`'s credentials mode, e.g. `include` for a cross-origin backend with a session cookie. */
  readonly credentials?: RequestCredentials;
  /**
   * The longest the transport lets core work through buffered bytes before it gives the page's event
   * loop a turn (rendering, input); default 8 ms, so a burst of watch events never freezes the page.
   * `Infinity` hands bytes on as they come.
   */
  readonly maxBlockingMs?: number;
  /** Defaults to the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Defaults to the global `WebSocket`. */
  readonly WebSocket?: WebSocketConstructor;
}

const defaultWebSocketProtocols = ['base64.binary.k8s.io'] as const;

/**
 * A {@link Transport} over the platform's `fetch` and `WebSocket`: for browsers, and also Node ≥ 22
 * (tested); Deno and Bun have the same globals. Lists go over `fetch`; watches over a streamed `fetch`
 * body or a WebSocket.
 *
 * It only moves bytes: retries, relists, liveness and decoding stay in core, so a watch that breaks, stalls
 * or expires is recovered exactly as with any other transport. Header names are lower-cased (the
 * platform's `Headers` already is). A cross-origin API must allow the page's origin (CORS) and expose
 * `retry-after`; the fake server does with its `cors` option.
 *
 * @throws {InvalidOptionError} when `baseUrl` is neither an absolute URL nor a path, or there is no page
 *   to resolve a path against.
 */
export function browserTransport(options: BrowserTransportOptions = {}): Transport {
  const base = resolveBase(options.baseUrl);
  const fetchFunction = options.fetch ?? globalThis.fetch.bind(globalThis);
  const watchChannel = options.watch ?? 'fetch';
  const protocols = options.webSocketProtocols ?? defaultWebSocketProtocols;
  const maxBlockingMs = options.maxBlockingMs ?? 8;
  if (!(maxBlockingMs >= 0))
    throw new InvalidOptionError('maxBlockingMs', 'must be a number of milliseconds, at least 0');
  if (watchChannel !== 'fetch' && watchChannel !== 'websocket') {
    throw new InvalidOptionError(
      'watch',
      `must be "fetch" or "websocket", got ${JSON.stringify(watchChannel)}`,
    );
  }

  const currentToken = async (): Promise<string | undefined> =>
    typeof options.token === 'function' ? await options.token() : options.token;

  const overFetch = async (
    request: TransportRequest,
    token: string | undefined,
  ): Promise<TransportResponse> => {
    const headers = new Headers(options.headers);
    for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, value);
    if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
    const response = await fetchFunction(`${base}${requestUrlPath(request)}`, {
      method: 'GET',
      headers,
      signal: request.signal,
      // A watch must not be served from or stored in the HTTP cache.
      cache: 'no-store',
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    });
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      responseHeaders[name.toLowerCase()] = value;
    });
    return {
      status: response.status,
      headers: responseHeaders,
      body: withEventLoopTurns(readableBody(response.body), maxBlockingMs),
    };
  };

  return {
    async request(request: TransportRequest): Promise<TransportResponse> {
      request.signal.throwIfAborted();
      const token = await currentToken();
      if (watchChannel === 'websocket' && isWatch(request)) {
        const WebSocketClass = options.WebSocket ?? globalThis.WebSocket;
        const offered = token === undefined ? protocols : [...protocols, bearerTokenProtocol(token)];
        try {
          const response = await openWebSocketWatch(
            WebSocketClass,
            webSocketUrl(`${base}${requestUrlPath(request)}`),
            offered,
            request.signal,
          );
          return { ...response, body: withEventLoopTurns(response.body, maxBlockingMs) };
        } catch (error) {
          if (!(error instanceof WebSocketRefusedError)) throw error;
          // The handshake's status is hidden from scripts: the same request over fetch tells core what
          // the server answers (an error status, or a working watch for this round).
        }
      }
      return overFetch(request, token);
    },
  };
}

function isWatch(request: TransportRequest): boolean {
  const watch = request.query?.watch;
  return watch !== undefined && watch !== '0' && watch.toLowerCase() !== 'false';
}

function resolveBase(baseUrl: string | undefined): string {
  const location = (globalThis as { location?: { href?: string } }).location?.href;
  const given = baseUrl ?? '';
  let url: URL;
  try {
    url = new URL(given === '' ? '/' : given, location);
  } catch {
    throw new InvalidOptionError(
      'baseUrl',
      location === undefined
        ? `must be an absolute URL outside a page, got ${JSON.stringify(given)}`
        : `must be a URL or a path, got ${JSON.stringify(given)}`,
    );
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

function webSocketUrl(httpUrl: string): string {
  return httpUrl.replace(/^http/, 'ws');
}
