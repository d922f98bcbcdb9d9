import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A plain HTTP server on loopback that counts the connections it accepted and those still open. */
export interface LoopbackServer {
  readonly url: string;
  /** Connections accepted since start. */
  readonly acceptedConnections: () => number;
  readonly openConnections: () => number;
  /** Requests received, in order. */
  readonly requests: IncomingMessage[];
  handle(handler: Handler): void;
  close(): Promise<void>;
}

export async function startLoopbackServer(): Promise<LoopbackServer> {
  let handler: Handler = (_request, response) => response.end();
  const sockets = new Set<Socket>();
  let accepted = 0;
  const requests: IncomingMessage[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(request);
    handler(request, response);
  });
  server.on('connection', (socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    acceptedConnections: () => accepted,
    openConnections: () => sockets.size,
    requests,
    handle(next) {
      handler = next;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A KubeConfig whose current context points at `server` as `user`. */
export function kubeConfigFor(
  server: string,
  user: Record<string, unknown> = { token: 'test-token' },
): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    // The official client refuses plain HTTP unless TLS verification is explicitly skipped.
    clusters: [{ name: 'loopback', server, skipTLSVerify: true }],
    users: [{ name: 'tester', ...user }],
    contexts: [{ name: 'loopback', cluster: 'loopback', user: 'tester' }],
    currentContext: 'loopback',
  });
  return kubeConfig;
}

/** Reads a whole body into a string. */
export async function text(body: AsyncIterable<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let result = '';
  for await (const chunk of body) result += decoder.decode(chunk, { stream: true });
  return result + decoder.decode();
}
