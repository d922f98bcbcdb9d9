import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of the API server for one replica, so the test can cut that replica off. A
 * partition drops: open connections are destroyed and new ones are accepted but get no answer, as when
 * packets are lost; nothing is held back to arrive late after the heal.
 */
export class PartitionProxy {
  private partitioned = false;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async start(target: { host: string; port: number }): Promise<PartitionProxy> {
    let proxy: PartitionProxy | undefined;
    const server = createServer((client) => {
      const owner = proxy as PartitionProxy;
      owner.track(client);
      client.on('error', () => {});
      if (owner.partitioned) {
        client.on('data', () => {}); // read and drop
        return;
      }
      const upstream = createConnectionTo(target);
      owner.track(upstream);
      client.pipe(upstream).pipe(client);
    });
    proxy = new PartitionProxy(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  partition(): void {
    this.partitioned = true;
    this.dropAll();
  }

  heal(): void {
    this.partitioned = false;
    // Connections accepted during the partition were never answered: close them so clients reconnect.
    this.dropAll();
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private dropAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}

function createConnectionTo(target: { host: string; port: number }): Socket {
  const socket = createConnection(target);
  socket.on('error', () => {});
  return socket;
}
