import { WebSocket, WebSocketServer } from 'ws';

const bearerPrefix = 'base64url.bearer.authorization.k8s.io.';
// Codes a server may send in a close frame; 1005 and 1006 only describe what a peer saw.
const sendable = (code) =>
  code === 1000 ||
  (code >= 1001 && code <= 1014 && code !== 1005 && code !== 1006) ||
  (code >= 3000 && code <= 4999);
const chosenProtocols = new WeakMap();
const pages = new WebSocketServer({
  noServer: true,
  perMessageDeflate: false,
  // The page's handshake is answered with the subprotocol the cluster picked (or none).
  handleProtocols: (_offered, request) => chosenProtocols.get(request) || false,
});

function refuse(socket, status) {
  // Once: terminating a refused upstream reports an error too, and a second answer would be written
  // after the end, an unhandled error that stops the dashboard.
  if (socket.destroyed || socket.writableEnded) return;
  socket.end(
    `HTTP/1.1 ${status} ${status === 502 ? 'Bad Gateway' : 'Refused'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`,
  );
}

/**
 * Relays one watch WebSocket from the page to the cluster. The upstream connection carries the
 * kubeconfig's credentials (client certificate, CA, bearer token as a header); a bearer subprotocol the
 * page may offer is dropped, so a token never crosses the page's side. The page's upgrade is answered
 * only once the cluster accepted, with the subprotocol the cluster chose, or refused with the cluster's
 * status. The relay is one-way (cluster to page): a watch needs no frames from the page.
 */
export async function relayWatchWebSocket({ request, socket, head, kubeConfig, path }) {
  const offered = (request.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((protocol) => protocol.trim())
    .filter((protocol) => protocol !== '' && !protocol.startsWith(bearerPrefix));
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null) return refuse(socket, 502);
  const base = cluster.server.replace(/^http/, 'ws').replace(/\/$/, '');
  const options = { perMessageDeflate: false };
  try {
    await kubeConfig.applyToHTTPSOptions(options);
  } catch {
    return refuse(socket, 502);
  }
  if (socket.destroyed) return;
  const upstream = new WebSocket(`${base}${path}`, offered, options);
  socket.once('close', () => upstream.terminate());
  upstream.once('unexpected-response', (_request, response) => {
    refuse(socket, response.statusCode ?? 502);
    response.resume();
    upstream.terminate();
  });
  let opened = false;
  // Kept for the connection's whole life: ws reports a terminate() before the handshake as an error too.
  upstream.on('error', () => {
    if (!opened) refuse(socket, 502);
  });
  upstream.once('open', () => {
    opened = true;
    if (socket.destroyed) return upstream.terminate();
    chosenProtocols.set(request, upstream.protocol);
    pages.handleUpgrade(request, socket, head, (page) => {
      upstream.on('message', (data, isBinary) => page.send(data, { binary: isBinary }));
      upstream.on('close', (code, reason) => {
        // An abnormal end upstream is reset downstream: the page must see a dropped watch, not a clean one.
        if (sendable(code)) page.close(code, reason);
        else page.terminate();
      });
      upstream.on('error', () => page.terminate());
      page.on('close', () => upstream.close());
      page.on('error', () => upstream.terminate());
    });
  });
}
