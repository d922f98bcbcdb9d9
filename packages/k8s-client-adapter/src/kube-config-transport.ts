import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { AgentOptions, RequestOptions } from 'node:https';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import {
  requestUrlPath,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from '@kubeinformers/core';
import { type Cluster, HttpMethod, type KubeConfig, RequestContext } from '@kubernetes/client-node';
import { Agent, type Dispatcher, errors, ProxyAgent } from 'undici';
import { bodyChunks } from './body-chunks.js';
import {
  type ConnectionHealthCheck,
  healthCheckedConnector,
  pingIntervalMs,
} from './connection-health-check.js';
import { KubeConfigError } from './kube-config-error.js';

export interface KubeConfigTransportOptions {
  /**
   * Ask for gzip (`Accept-Encoding: gzip`) and decompress while streaming; default `true`, as client-go and
   * the official client do. The API server compresses only non-watch responses over 128 KiB, i.e. large
   * lists, about tenfold for pods. Decompression costs the client roughly 3–7 ms of CPU per decoded MB
   * (JSON parsing costs about 10), so turn it off only where the network is faster than that, e.g. a
   * controller next to its API server that lists very large collections.
   */
  readonly compression?: boolean;
  /** The `User-Agent` header; default `kubeinformers`. */
  readonly userAgent?: string;
  /**
   * Closes the transport when aborted, as `close()` does. Pass the signal that stops the factory, and
   * one abort ends the watches and then every connection, idle keep-alive sockets included.
   */
  readonly signal?: AbortSignal;
  /**
   * Dead-connection detection on HTTP/2 (which the API server negotiates): a PING every
   * `readIdleTimeoutMs` (30 s), and a connection silent for `pingTimeoutMs` (15 s) more is closed, so a
   * watch on a half-open or black-holed connection is replaced within 45 s, whatever its bookmark
   * cadence (client-go's numbers). `false` turns it off. Not applied through HTTP(S) or SOCKS proxies.
   */
  readonly connectionHealthCheck?: ConnectionHealthCheck | false;
}

/** A {@link Transport} that also owns connections: `close()` releases them once in-flight requests end. */
export interface KubeConfigTransport extends Transport, AsyncDisposable {
  /**
   * Gracefully closes every connection: waits for in-flight requests (abort their signals first to end
   * watches), then closes the sockets. Idempotent. Requests made afterwards reject with undici's
   * `ClientClosedError`.
   */
  close(): Promise<void>;
}

/**
 * A transport that reaches the current context's cluster of `kubeConfig`, authenticated exactly as the
 * official client authenticates its own requests.
 *
 * Credentials are applied per request through `KubeConfig.applyToHTTPSOptions`, so every method the
 * official client supports works unchanged (tokens and token files, basic auth, client certificates,
 * exec credential plugins, OIDC, custom authenticators, impersonation), and a credential that expires
 * (exec plugin, OIDC) is refreshed on the next request, e.g. when a watch reconnects. Switching the
 * `KubeConfig`'s current context takes effect on the next request as well.
 *
 * Connections are pooled and reused across lists and watches: one undici dispatcher is kept for the
 * current TLS material (CA, client certificate and key, `insecure-skip-tls-verify`, server name, proxy).
 * When that material changes (a rotated client certificate), a new dispatcher takes over and the old one
 * closes once its in-flight requests end. Bodies stream (`AsyncIterable<Uint8Array>`, never buffered, the
 * socket's chunks as they are: see `bodyChunks`);
 * aborting the request's signal or ending the iteration early destroys the socket. There is no retry
 * here: retries, relists and decoding belong to core. Errors carry no credentials.
 *
 * @throws {KubeConfigError} when `kubeConfig` has no current cluster.
 */
export function kubeConfigTransport(
  kubeConfig: KubeConfig,
  options: KubeConfigTransportOptions = {},
): KubeConfigTransport {
  currentCluster(kubeConfig);
  const compression = options.compression ?? true;
  const userAgent = options.userAgent ?? 'kubeinformers';
  let closed = false;
  let current: { readonly key: string; readonly dispatcher: Promise<Dispatcher> } | undefined;
  const retiring = new Set<Promise<void>>();

  const retire = (dispatcher: Promise<Dispatcher>): void => {
    const done = dispatcher.then(
      (settled) => settled.close(),
      () => undefined,
    );
    retiring.add(done);
    void done.finally(() => retiring.delete(done));
  };

  const dispatcherFor = (key: string, create: () => Promise<Dispatcher>): Promise<Dispatcher> => {
    // Closing may have happened while the credentials were applied: never reopen.
    if (closed) return Promise.reject(new errors.ClientClosedError());
    if (current?.key === key) return current.dispatcher;
    if (current !== undefined) retire(current.dispatcher);
    const dispatcher = create();
    const slot = { key, dispatcher };
    current = slot;
    // A failed creation must not stick: the next request tries again.
    dispatcher.catch(() => {
      if (current === slot) current = undefined;
    });
    return dispatcher;
  };

  const close = async (): Promise<void> => {
    if (!closed) {
      closed = true;
      if (current !== undefined) retire(current.dispatcher);
      current = undefined;
    }
    await Promise.all(retiring);
  };

  options.signal?.addEventListener('abort', () => void close(), { once: true });
  if (options.signal?.aborted === true) void close();

  return {
    async request(request: TransportRequest): Promise<TransportResponse> {
      request.signal.throwIfAborted();
      if (closed) throw new errors.ClientClosedError();
      const cluster = currentCluster(kubeConfig);
      const url = requestUrl(cluster, request);
      // Runs the official authenticators (exec plugins, OIDC refresh, token files) and reads the TLS
      // material afresh, as the official client does for each of its own requests.
      const applied: RequestOptions = {};
      // An exec plugin may wait for an interactive login for minutes: aborting must not wait for it.
      await untilAborted(kubeConfig.applyToHTTPSOptions(applied), request.signal);
      const dispatcher = await dispatcherFor(tlsKey(cluster, applied), () =>
        createDispatcher(kubeConfig, cluster, applied, url, options.connectionHealthCheck ?? {}),
      );
      const response = await dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        headers: requestHeaders(request, applied, userAgent, compression),
        signal: request.signal,
        // Liveness of long watches is core's decision (it knows the watch timeout); undici's default
        // of 300 s without body bytes would cut quiet watches short.
        bodyTimeout: 0,
      });
      const headers = responseHeaders(response.headers);
      let body: Readable = response.body;
      if (compression && headers['content-encoding'] === 'gzip') {
        // The pipeline propagates errors both ways: a failing socket fails the iteration, and ending the
        // iteration early destroys the socket.
        body = pipeline(response.body, createGunzip({ chunkSize: 64 * 1024 }), () => {});
        delete headers['content-encoding'];
        delete headers['content-length'];
      }
      return { status: response.statusCode, headers, body: bodyChunks(body) };
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

export function currentCluster(kubeConfig: KubeConfig): Cluster {
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster !== null) return cluster;
  // Say which of the three links is missing: a file that is no kubeconfig at all has none of them.
  const contextName = kubeConfig.getCurrentContext();
  const context = kubeConfig.getContextObject(contextName);
  if (!contextName) {
    throw new KubeConfigError(
      `the KubeConfig has no current context (it defines ${kubeConfig.getContexts().length} contexts and ${kubeConfig.getClusters().length} clusters): is it a kubeconfig?`,
    );
  }
  if (context == null) {
    throw new KubeConfigError(
      `the KubeConfig's current context ${JSON.stringify(contextName)} is not defined in it`,
    );
  }
  throw new KubeConfigError(
    `the KubeConfig's current context ${JSON.stringify(contextName)} names cluster ${JSON.stringify(context.cluster)}, which is not defined in it`,
  );
}

/** Keeps a path prefix of the server URL (clusters behind a reverse proxy), as the official client does. */
function requestUrl(cluster: Cluster, request: TransportRequest): URL {
  return new URL(`${cluster.server.replace(/\/+$/, '')}${requestUrlPath(request)}`);
}

/** The fields the official client copies from its HTTPS options into its dispatcher. */
const tlsFields = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

/** A digest of what the dispatcher is built from; the digest keeps key material out of map keys. */
function tlsKey(cluster: Cluster, applied: RequestOptions): string {
  const material = tlsFields.map((field) => applied[field]);
  return createHash('sha256')
    .update(JSON.stringify([cluster.proxyUrl, material]))
    .digest('base64');
}

/**
 * Builds the dispatcher from the TLS material of this very request, with the official client's own
 * option mapping (CA, client certificate, HTTP(S) proxies, TCP keep-alive), once per material instead of
 * once per request as the official client does.
 */
async function createDispatcher(
  kubeConfig: KubeConfig,
  cluster: Cluster,
  applied: RequestOptions,
  url: URL,
  healthCheck: ConnectionHealthCheck | false,
): Promise<Dispatcher> {
  const material: AgentOptions = {};
  for (const field of tlsFields) {
    if (applied[field] !== undefined) Object.assign(material, { [field]: applied[field] });
  }
  const plan = kubeConfig.createDispatcherOptions(cluster, material);
  let dispatcher: Dispatcher;
  if (plan.type === 'agent' && healthCheck !== false) {
    dispatcher = new Agent({
      connect: healthCheckedConnector(plan.connect as object, healthCheck),
      allowH2: true,
      h2Options: { pingInterval: pingIntervalMs(healthCheck) },
    });
  } else if (plan.type === 'agent') dispatcher = new Agent({ connect: plan.connect });
  else if (plan.type === 'proxy') dispatcher = new ProxyAgent(plan);
  // Without TLS options the official client uses undici's global dispatcher; one of our own lets
  // `close()` release exactly our connections.
  else if (plan.type === 'none') dispatcher = new Agent();
  else {
    // The SOCKS connector is private to the official client: let it build the whole dispatcher. This runs
    // its authenticators once more, which normally hits their caches.
    const context = new RequestContext(url.toString(), HttpMethod.GET);
    await kubeConfig.applySecurityAuthentication(context);
    dispatcher = context.getDispatcher() ?? new Agent();
  }
  return dispatcher;
}

function requestHeaders(
  request: TransportRequest,
  applied: RequestOptions,
  userAgent: string,
  compression: boolean,
): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': userAgent };
  if (compression) headers['accept-encoding'] = 'gzip';
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  // Same precedence as the official client: basic auth first, a bearer token from the headers wins.
  if (typeof applied.auth === 'string') {
    headers.authorization = `Basic ${Buffer.from(applied.auth).toString('base64')}`;
  }
  for (const [name, value] of Object.entries(applied.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = String(value);
  }
  return headers;
}

function responseHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}

/** Settles like `work`, or rejects with the abort reason as soon as `signal` aborts. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
