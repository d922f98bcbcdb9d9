import { relayWatchWebSocket } from './web-socket-relay.mjs';

// Headers that belong to one hop, never forwarded (RFC 9110 §7.6.1), plus those the proxy recomputes.
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'content-encoding',
]);

function refusal(code, reason, message) {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, code, message });
}

/** A watch is the only thing a page may open a WebSocket for: exec, attach and port-forward also upgrade. */
function isWatch(url) {
  const watch = url.searchParams.get('watch');
  return watch === 'true' || watch === '1' || url.pathname.includes('/watch/');
}

/**
 * The dashboard's way to the cluster, on the page's own origin (mounted under a path such as `/k8s`):
 * GET requests are forwarded through `transport` (the adapter's, which authenticates as the kubeconfig
 * says), WebSocket watches are relayed to the cluster with the kubeconfig's credentials added here, and
 * everything else is refused, so the page can never change the cluster and never holds a credential.
 *
 * `handle` and `upgrade` take URLs relative to the mount point (`/api/v1/pods?watch=true`).
 */
export function createReadOnlyProxy({ transport, kubeConfig }) {
  const sockets = new Set();
  return {
    async handle(request, response) {
      if (request.method !== 'GET') {
        response
          .writeHead(405, { 'content-type': 'application/json', allow: 'GET' })
          .end(refusal(405, 'MethodNotAllowed', 'the dashboard proxy is read-only'));
        return;
      }
      const url = new URL(request.url ?? '/', 'http://proxy');
      const controller = new AbortController();
      response.once('close', () => controller.abort());
      try {
        const answer = await transport.request({
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers: request.headers.accept === undefined ? {} : { accept: request.headers.accept },
          signal: controller.signal,
        });
        const headers = Object.fromEntries(
          Object.entries(answer.headers).filter(
            ([name, value]) => value !== undefined && !hopByHop.has(name),
          ),
        );
        response.writeHead(answer.status, headers);
        response.flushHeaders();
        for await (const chunk of answer.body) response.write(chunk);
        response.end();
      } catch (error) {
        if (controller.signal.aborted) return;
        if (response.headersSent) {
          // Mid-stream (a dropped watch): reset the connection, so the page sees the stream break as a
          // network error, never a clean end with text the watch decoder would take for an event.
          response.destroy(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        const message = error instanceof Error ? error.message : String(error);
        response
          .writeHead(502, { 'content-type': 'application/json' })
          .end(refusal(502, 'BadGateway', `the dashboard proxy could not reach the cluster: ${message}`));
      }
    },

    upgrade(request, socket, head) {
      const url = new URL(request.url ?? '/', 'http://proxy');
      if (request.method !== 'GET' || !isWatch(url)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
        return;
      }
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      void relayWatchWebSocket({ request, socket, head, kubeConfig, path: `${url.pathname}${url.search}` });
    },

    /** Drops every relayed WebSocket (HTTP requests end with the server's connections). */
    close() {
      for (const socket of sockets) socket.destroy();
    },
  };
}
