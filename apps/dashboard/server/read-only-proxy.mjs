import { createServer } from 'node:http';

// Headers that belong to one hop, never forwarded (RFC 9110 §7.6.1), plus those the proxy recomputes.
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'content-encoding',
]);

/**
 * A local, read-only proxy to a real cluster for the dashboard: GET requests under `/` are forwarded
 * through `transport` (the adapter's, which authenticates as the kubeconfig says); every other method is
 * refused with 405, so the page can never change the cluster. Answers CORS for any origin: it listens on
 * loopback only and holds no credentials a page could read.
 */
export async function startReadOnlyProxy(transport, { host = '127.0.0.1', port = 0 } = {}) {
  const server = createServer(async (request, response) => {
    response.setHeader('Access-Control-Allow-Origin', '*');
    response.setHeader('Access-Control-Expose-Headers', 'Retry-After, Warning, Audit-Id');
    if (request.method === 'OPTIONS') {
      response.setHeader('Access-Control-Allow-Methods', 'GET');
      response.setHeader(
        'Access-Control-Allow-Headers',
        request.headers['access-control-request-headers'] ?? '',
      );
      response.writeHead(204).end();
      return;
    }
    if (request.method !== 'GET') {
      const status = {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'MethodNotAllowed',
        code: 405,
        message: 'the dashboard proxy is read-only',
      };
      response.writeHead(405, { 'content-type': 'application/json' }).end(JSON.stringify(status));
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
        Object.entries(answer.headers).filter(([name, value]) => value !== undefined && !hopByHop.has(name)),
      );
      response.writeHead(answer.status, headers);
      response.flushHeaders();
      for await (const chunk of answer.body) response.write(chunk);
      response.end();
    } catch (error) {
      if (controller.signal.aborted) return;
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(`proxy error: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
