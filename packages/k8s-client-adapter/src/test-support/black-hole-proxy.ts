import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy that can turn into a black hole for the connections it carries: their sockets stay open
 * and every byte either way is dropped, as when a NAT or load balancer loses a connection's state or a
 * peer hangs. New connections pass through normally.
 */
export class BlackHoleProxy {
  private readonly pairs = new Set<{ client: Socket; upstream: Socket; dropping: boolean }>();
  /** `performance.now()` when bytes last went to a client: where its read-idle timer last started. */
  lastDeliveredAt = 0;

  private constructor(private readonly server: Server) {}

  static async start(targetPort: number): Promise<BlackHoleProxy> {
    const server = createServer();
    const proxy = new BlackHoleProxy(server);
    server.on('connection', (client) => {
      const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
      const pair = { client, upstream, dropping: false };
      proxy.pairs.add(pair);
      client.on('data', (chunk) => {
        if (!pair.dropping) upstream.write(chunk);
      });
      upstream.on('data', (chunk) => {
        if (pair.dropping) return;
        client.write(chunk);
        proxy.lastDeliveredAt = performance.now();
      });
      const close = () => {
        proxy.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  /** Connections open now carry nothing more, either way, and stay open. */
  blackHole(): number {
    for (const pair of this.pairs) pair.dropping = true;
    return this.pairs.size;
  }

  /** Connections open, carrying or not. */
  get connections(): number {
    return this.pairs.size;
  }

  async close(): Promise<void> {
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
