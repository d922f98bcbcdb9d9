import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { KubeObject } from '@kubeinformers/core';
import { KubeConfig } from '@kubernetes/client-node';

/** Answers one watch request however a test needs: malformed bytes, a proxy's page, a cut stream. */
export type WatchScript = (response: ServerResponse, request: IncomingMessage) => void;

/**
 * An API server for pods in `default` that serves a fixed list and then plays scripted watch responses
 * in order, one per watch request; once the script is used up, each watch delivers `healthyEvents` and
 * stays open (the proof that an informer recovered). Bad input the fake API server cannot produce
 * (arbitrary bytes, HTML, cut connections) comes from here.
 */
export class ScriptedApiServer {
  readonly watchScripts: WatchScript[] = [];
  /** Watch lines a healthy watch sends (each an event object), in order. */
  healthyEvents: unknown[] = [];
  listItems: KubeObject[] = [];
  listResourceVersion = '10';
  listRequests = 0;
  watchRequests = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<ScriptedApiServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const scripted = new ScriptedApiServer(server, `http://127.0.0.1:${port}`);
    server.on('request', (request, response) => scripted.handle(request, response));
    server.on('connection', (socket: Socket) => {
      scripted.sockets.add(socket);
      socket.once('close', () => scripted.sockets.delete(socket));
    });
    return scripted;
  }

  /** A kubeconfig for this plain-HTTP server (which the official client allows only without verification). */
  kubeConfig(token = 'scripted-token'): KubeConfig {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'scripted', server: this.url, skipTLSVerify: true }],
      users: [{ name: 'tester', token }],
      contexts: [{ name: 'scripted', cluster: 'scripted', user: 'tester' }],
      currentContext: 'scripted',
    });
    return kubeConfig;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', this.url);
    if (url.searchParams.get('watch') !== 'true') {
      this.listRequests += 1;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          kind: 'PodList',
          apiVersion: 'v1',
          metadata: { resourceVersion: this.listResourceVersion },
          items: this.listItems,
        }),
      );
      return;
    }
    this.watchRequests += 1;
    const script = this.watchScripts.shift();
    if (script !== undefined) {
      script(response, request);
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    for (const event of this.healthyEvents) response.write(`${JSON.stringify(event)}\n`);
  }
}

/** A minimal valid pod in `default`. */
export function testPod(
  name: string,
  resourceVersion: string,
  labels: Record<string, string> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion, labels },
    spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] },
  } as KubeObject;
}
