import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createSecureServer as createHttp2Server } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { type Clock, systemClock } from '@kubeinformers/core';
import { WebSocketServer } from 'ws';
import { type ChurnOptions, type ChurnResult, churn } from './faults/churn.js';
import { FaultInjector, type RestartOptions } from './faults/fault-injector.js';
import { defaultFeatureGates, type FeatureGates } from './feature-gates.js';
import { demoSeed, type SeedOptions, seedCluster } from './fixtures/seed-cluster.js';
import { ApiRequestHandler } from './http/api-request-handler.js';
import { createControlRoutes } from './http/control-routes.js';
import { type CorsOrigins, CorsPolicy } from './http/cors-policy.js';
import type { WatchEnvironment } from './http/watch-handler.js';
import { type ApiResource, type ResourceRegistration, resourceKey } from './resources/api-resource.js';
import { serveCustomResourceDefinitions } from './resources/custom-resource-definitions.js';
import { defaultServerVersion, type ServerVersion } from './resources/discovery.js';
import { PodLogs } from './resources/pod-logs.js';
import { ResourceCatalog } from './resources/resource-catalog.js';
import { ServiceAccountTokenIssuer } from './resources/service-account-token.js';
import { ClusterStore } from './storage/cluster-store.js';
import { ObjectStore } from './storage/object-store.js';
import { Authenticator, type BearerToken } from './tls/authenticator.js';
import { CertificateAuthority, type IssuedCertificate } from './tls/certificate-authority.js';
import { type KubeconfigOptions, renderKubeconfig } from './tls/kubeconfig.js';
import { selectWebSocketProtocol } from './tls/web-socket-bearer.js';
import { WatchHub } from './watch/watch-hub.js';

export interface FakeApiServerOptions {
  /** Interface to listen on; default `127.0.0.1`. */
  readonly host?: string;
  /** Port; default 0 (any free port). */
  readonly port?: number;
  /** Serve HTTPS with a CA and certificate generated in-process; kubeconfigs embed the CA. */
  readonly tls?: boolean;
  /**
   * With `tls`: offer HTTP/2 by ALPN (`h2`, as the API server does), HTTP/1.1 to clients that do not ask
   * for it. Default false (HTTP/1.1 only).
   */
  readonly http2?: boolean;
  /** Accepted bearer tokens; with any, requests without credentials get 401. Change later via `auth`. */
  readonly tokens?: readonly (string | BearerToken)[];
  /** Accept client certificates signed by the server's CA (requires `tls`); then credentials are required. */
  readonly clientCertificates?: boolean;
  /** Events kept per resource for watches from an older resourceVersion; default 10,000. */
  readonly watchHistorySize?: number;
  /** Interval of BOOKMARK events on watches that allow them; default 60 s, like the real server. */
  readonly bookmarkIntervalMs?: number;
  /** Watch length when the client sends no `timeoutSeconds`; default 1800 s. */
  readonly defaultWatchTimeoutSeconds?: number;
  /** Wait for a resourceVersion ahead of the server before answering 504 TooLarge; default 1000 ms. */
  readonly tooLargeResourceVersionWaitMs?: number;
  /**
   * Queued events after which a watcher that does not read is ended cleanly (the real server ends
   * watchers that cannot keep up; the client rewatches). Queued events keep their objects alive, so this
   * bounds memory; default 100,000.
   */
  readonly watchBacklogLimit?: number;
  /** Serve the control path `/_fake/…` (faults, seeding, bulk writes) for out-of-process drivers. */
  readonly control?: boolean;
  /** Start with a scenario: `demo` seeds the cluster `pnpm demo` shows (5 nodes, 557 pods; see `seedCluster`). */
  readonly seed?: 'empty' | 'demo' | SeedOptions;
  /** The `/version` the server reports; default 1.32. */
  readonly version?: ServerVersion;
  /** Wall time for timestamps, ages and token expiry; default `() => new Date()`. */
  readonly now?: () => Date;
  /**
   * Drives every server-side wait: watch timeouts, bookmark intervals, the wait before `504 TooLarge`,
   * injected delays and restart downtime. A `ManualClock` makes them deterministic; default `systemClock`.
   */
  readonly clock?: Clock;
  /** Feature gates to turn off (all on by default), e.g. `{ ShardedListAndWatch: false }`. */
  readonly featureGates?: Partial<FeatureGates>;
  /**
   * Let browser pages on other origins call the server (`fetch` lists and watches, preflights included):
   * `true` for any origin, or a list of exact origins. Off by default, like the real server.
   */
  readonly cors?: CorsOrigins;
}

/**
 * A fake Kubernetes API server on loopback for tests: real clients (`kubectl`, `@kubernetes/client-node`,
 * client-go) talk to it over HTTP(S). It implements the list/watch protocol precisely — resourceVersion
 * semantics, pagination, expiry, bookmarks, streaming lists, WebSocket and metadata-only watches —
 * along with CRUD, discovery, auth and fault injection; it does not run controllers or admission.
 *
 * @example
 * const server = await FakeApiServer.start({ tls: true, tokens: ['secret'] });
 * const kc = new KubeConfig(); kc.loadFromString(server.kubeconfig());
 * server.store.create('pods', pod);
 * await server.close();
 */
export class FakeApiServer {
  readonly catalog = new ResourceCatalog();
  readonly store: ClusterStore;
  readonly faults: FaultInjector;
  readonly auth: Authenticator;
  /** The lines `kubectl logs` gets, per pod and container (empty unless set). */
  readonly logs = new PodLogs();
  /** Open watches: `size`, `drained()` for producers, `sendBookmarks()`. */
  readonly watches: WatchHub;
  /** The feature gates in force; change them while the server runs (the next request sees it). */
  readonly featureGates: FeatureGates;
  private readonly objectStore: ObjectStore;
  private readonly server: Server;
  private readonly webSockets = new WebSocketServer({
    noServer: true,
    handleProtocols: selectWebSocketProtocol,
  });
  private readonly sockets = new Set<Socket>();
  private readonly certificateAuthority: CertificateAuthority | undefined;
  private readonly defaultClientCertificate: IssuedCertificate | undefined;
  private readonly watchEnvironment: WatchEnvironment;
  private readonly clock: Clock;
  private address = { host: '127.0.0.1', port: 0 };
  private closing: Promise<void> | undefined;

  private constructor(private readonly options: FakeApiServerOptions) {
    const now = options.now ?? (() => new Date());
    this.objectStore = new ObjectStore(this.catalog, options.watchHistorySize ?? 10_000, now);
    this.store = new ClusterStore(this.objectStore);
    this.featureGates = { ...defaultFeatureGates, ...options.featureGates };
    this.watches = new WatchHub(this.objectStore);
    const clock = options.clock ?? systemClock;
    this.clock = clock;
    this.faults = new FaultInjector(
      this.watches,
      this.objectStore,
      (restart) => this.restart(restart),
      clock,
    );
    this.certificateAuthority = options.tls === true ? CertificateAuthority.create() : undefined;
    if (options.clientCertificates === true && this.certificateAuthority === undefined) {
      throw new Error('clientCertificates requires tls: true');
    }
    this.auth = new Authenticator(
      this.certificateAuthority,
      options.clientCertificates === true,
      now,
      options.tokens,
    );
    this.defaultClientCertificate =
      options.clientCertificates === true ? this.auth.issueClientCertificate('fake-admin') : undefined;
    this.watchEnvironment = {
      objectStore: this.objectStore,
      hub: this.watches,
      clock,
      tooLargeWaitMs: options.tooLargeResourceVersionWaitMs ?? 1000,
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
      defaultTimeoutSeconds: options.defaultWatchTimeoutSeconds ?? 1800,
      backlogLimit: options.watchBacklogLimit ?? 100_000,
    };
    const requests = new ApiRequestHandler({
      catalog: this.catalog,
      objectStore: this.objectStore,
      auth: this.auth,
      faults: this.faults,
      control: options.control === true ? createControlRoutes(this) : undefined,
      watchEnvironment: this.watchEnvironment,
      webSockets: this.webSockets,
      logs: this.logs,
      tokens: new ServiceAccountTokenIssuer(this.auth, now),
      version: options.version ?? defaultServerVersion,
      serverAddress: () => `${this.address.host}:${this.address.port}`,
      featureGates: this.featureGates,
    });
    const cors = options.cors === undefined ? undefined : new CorsPolicy(options.cors);
    const handler = (request: IncomingMessage, response: ServerResponse) => {
      if (cors?.apply(request, response) === true) return;
      void requests.handle(request, response);
    };
    if (this.certificateAuthority === undefined) {
      this.server = createHttpServer(handler);
    } else {
      const host = options.host ?? '127.0.0.1';
      const serving = this.certificateAuthority.issueServerCertificate([
        ...new Set([host, '127.0.0.1', 'localhost', '::1']),
      ]);
      const tlsOptions = {
        key: serving.key,
        cert: serving.certificate,
        ca: [this.certificateAuthority.certificate],
        // Ask for a client certificate but let token or anonymous requests through; `auth` decides.
        requestCert: options.clientCertificates === true,
        rejectUnauthorized: false,
      };
      // The compatibility API hands HTTP/2 streams to the same handler as HTTP/1.1 requests.
      this.server =
        options.http2 === true
          ? (createHttp2Server({ ...tlsOptions, allowHTTP1: true }, handler as never) as unknown as Server)
          : createHttpsServer(tlsOptions, handler);
    }
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    this.server.on(
      'upgrade',
      (request: IncomingMessage, socket: Duplex, head: Buffer) =>
        void requests.upgrade(request, socket, head),
    );
    serveCustomResourceDefinitions(this.objectStore, this.catalog);
    for (const namespace of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      this.store.create('namespaces', { metadata: { name: namespace } });
    }
    const seed = options.seed ?? 'empty';
    if (seed !== 'empty') seedCluster(this.store, { now: now(), ...(seed === 'demo' ? demoSeed : seed) });
  }

  /** Starts a server and resolves once it listens. */
  static async start(options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
    const server = new FakeApiServer(options);
    await server.listen(options.port ?? 0);
    return server;
  }

  /** `http(s)://host:port`, without a trailing slash. */
  get url(): string {
    const host = this.address.host.includes(':') ? `[${this.address.host}]` : this.address.host;
    return `${this.certificateAuthority === undefined ? 'http' : 'https'}://${host}:${this.address.port}`;
  }

  get port(): number {
    return this.address.port;
  }

  /** The CA certificate (PEM) of a TLS server, for clients configured by hand. */
  get certificateAuthorityPem(): string | undefined {
    return this.certificateAuthority?.certificate;
  }

  /** The current cluster-wide resourceVersion. */
  get resourceVersion(): string {
    return this.store.resourceVersion;
  }

  /** Serves a custom resource from now on (discovery, CRUD, list, watch). */
  registerResource(registration: ResourceRegistration): ApiResource {
    return this.catalog.register(registration);
  }

  /**
   * A kubeconfig (JSON, valid YAML) for this server that `KubeConfig.loadFromString` and `kubectl
   * --kubeconfig` accept: the CA embedded over TLS, a bearer token (default: the first accepted one),
   * and/or a client certificate.
   */
  kubeconfig(options: KubeconfigOptions = {}): string {
    const user = options.user ?? 'fake-user';
    const token = options.token === null ? undefined : (options.token ?? this.auth.listTokens()[0]?.token);
    let clientCertificate: IssuedCertificate | undefined;
    if (options.clientCertificate === true) clientCertificate = this.auth.issueClientCertificate(user);
    else if (typeof options.clientCertificate === 'object') clientCertificate = options.clientCertificate;
    else if (options.clientCertificate === undefined && token === undefined)
      clientCertificate = this.defaultClientCertificate;
    return renderKubeconfig({
      url: this.url,
      certificateAuthority: this.certificateAuthority?.certificate,
      token,
      clientCertificate,
      user,
      namespace: options.namespace,
      context: options.context ?? 'kubeinformers-fake',
    });
  }

  /**
   * Produces `count` MODIFIED events (an annotation changes on objects round-robin), paced by the open
   * watches: see `churn`. Resolves with the final resourceVersion.
   */
  churn(options: ChurnOptions): Promise<ChurnResult> {
    return churn(this.objectStore, this.watches, options);
  }

  /** A summary for diagnostics and the control path: resourceVersion, open watches, object counts. */
  describe(): { resourceVersion: string; watches: number; objects: Record<string, number> } {
    const objects: Record<string, number> = {};
    for (const table of this.objectStore.allTables()) {
      if (table.objects.size > 0) objects[resourceKey(table.resource)] = table.objects.size;
    }
    return { resourceVersion: this.resourceVersion, watches: this.watches.size, objects };
  }

  /** Stops the server: every connection is dropped and the port released. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.watches.closeAll({ abrupt: true });
      this.dropConnections();
      this.webSockets.close();
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
    })();
    return this.closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private async restart(options: RestartOptions): Promise<void> {
    this.watches.closeAll({ abrupt: true });
    this.dropConnections();
    const downtime = options.downtimeMs ?? 0;
    if (downtime <= 0) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // A connection accepted since the drop above would hold `close` up, and the downtime with it.
    this.dropConnections();
    await closed;
    await new Promise<void>((resolve) => this.clock.setTimeout(resolve, downtime));
    if (this.closing === undefined) await this.listen(this.address.port);
  }

  private dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  private listen(port: number): Promise<void> {
    const host = this.options.host ?? '127.0.0.1';
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        if (address !== null && typeof address === 'object') this.address = { host, port: address.port };
        resolve();
      });
    });
  }
}
