/** The subprotocol prefix under which the API server accepts a bearer token on a WebSocket. */
export const bearerProtocolPrefix = 'base64url.bearer.authorization.k8s.io.';

/**
 * The WebSocket subprotocol that carries `token`: `base64url.bearer.authorization.k8s.io.` followed by
 * the token's UTF-8 bytes in unpadded base64url. Browsers cannot set an `Authorization` header on a
 * WebSocket, so the API server reads the token from here and strips the entry before the handshake
 * picks a protocol; the client must therefore offer at least one other protocol for the server to echo.
 */
export function bearerTokenProtocol(token: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(token)) binary += String.fromCharCode(byte);
  const base64url = btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
  return `${bearerProtocolPrefix}${base64url}`;
}
