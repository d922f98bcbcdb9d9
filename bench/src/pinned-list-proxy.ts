import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A pass-through HTTP proxy in front of the fake API server that pins the first page of every pods list
 * to one resourceVersion (`resourceVersion=R&resourceVersionMatch=Exact`), so that every client lists
 * the state at R and then watches from R.
 *
 * Why: the watch cases need 100,000 MODIFIED events pushed as fast as the client's socket takes them.
 * Produced live, each event costs the fake server a merge patch and a `JSON.stringify` of the pod, which
 * is as slow as the client's `JSON.parse` and would make every implementation look alike. So the events
 * are produced once, before any case, into the server's watch history, rendered once by a warm-up watch,
 * and each case replays them from R from the server's cache of rendered lines — as fast as the socket
 * takes them. Everything else (continue pages, the watch itself) passes through untouched.
 */
export class PinnedListProxy {
  private constructor(
    private readonly server: Server,
    private readonly agent: Agent,
  ) {}

  static async start(target: string, resourceVersion: string): Promise<PinnedListProxy> {
    const targetUrl = new URL(target);
    const agent = new Agent({ keepAlive: true });
    const server = createServer((incoming, outgoing) => {
      const url = new URL(incoming.url ?? '/', targetUrl);
      const isWatch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
      if (url.pathname === '/api/v1/pods' && !isWatch && !url.searchParams.has('continue')) {
        url.searchParams.set('resourceVersion', resourceVersion);
        url.searchParams.set('resourceVersionMatch', 'Exact');
      }
      const forwarded = request(
        url,
        { method: incoming.method, headers: { ...incoming.headers, host: targetUrl.host }, agent },
        (response) => {
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          outgoing.flushHeaders();
          response.pipe(outgoing);
        },
      );
      forwarded.on('error', () => outgoing.destroy());
      outgoing.on('close', () => forwarded.destroy());
      incoming.pipe(forwarded);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new PinnedListProxy(server, agent);
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
    this.agent.destroy();
  }
}
