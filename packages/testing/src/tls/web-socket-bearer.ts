import type { IncomingMessage } from 'node:http';
import { ApiStatusError } from '../storage/api-status-error.js';

const bearerProtocolPrefix = 'base64url.bearer.authorization.k8s.io.';

/** The subprotocols a WebSocket handshake offers, in order. */
function offeredProtocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  if (header === undefined) return [];
  return header
    .split(',')
    .map((protocol) => protocol.trim())
    .filter((protocol) => protocol !== '');
}

/**
 * Browsers cannot set `Authorization` on a WebSocket, so the API server also takes a bearer token from
 * the subprotocol `base64url.bearer.authorization.k8s.io.<unpadded base64url token>`. When a handshake
 * has no `Authorization` header but offers such a protocol, this sets the header from it, so that the
 * server's one authenticator decides. A protocol that does not decode to a token is a 401.
 */
export function applyWebSocketBearer(request: IncomingMessage): void {
  if (request.headers.authorization !== undefined) return;
  const protocol = offeredProtocols(request).find((offered) => offered.startsWith(bearerProtocolPrefix));
  if (protocol === undefined) return;
  const encoded = protocol.slice(bearerProtocolPrefix.length);
  const token = /^[A-Za-z0-9_-]+$/.test(encoded) ? Buffer.from(encoded, 'base64url').toString('utf8') : '';
  if (token === '' || /\s/.test(token)) {
    throw new ApiStatusError({ code: 401, reason: 'Unauthorized', message: 'Unauthorized' });
  }
  request.headers.authorization = `Bearer ${token}`;
}

/**
 * The subprotocol the server echoes: the first offered one that is not the token's, as the API server
 * removes the token's entry before its handshake picks one. `false` (echo none) when nothing else was
 * offered; a browser then drops the connection, exactly as against the real server.
 */
export function selectWebSocketProtocol(protocols: ReadonlySet<string>): string | false {
  for (const protocol of protocols) if (!protocol.startsWith(bearerProtocolPrefix)) return protocol;
  return false;
}
