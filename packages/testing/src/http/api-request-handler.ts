import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import type { FaultInjector } from '../faults/fault-injector.js';
import type { FeatureGates } from '../feature-gates.js';
import { accessReviews } from '../resources/access-reviews.js';
import { resourceKey } from '../resources/api-resource.js';
import type { ServerVersion } from '../resources/discovery.js';
import type { ResourceCatalog } from '../resources/resource-catalog.js';
import { ApiStatusError } from '../storage/api-status-error.js';
import { ObjectFilter } from '../storage/object-filter.js';
import type { ObjectStore } from '../storage/object-store.js';
import { type AccessAttributes, isAllowed } from '../tls/access-rules.js';
import type { Authenticator } from '../tls/authenticator.js';
import { applyWebSocketBearer } from '../tls/web-socket-bearer.js';
import { HttpWatchConnection, WebSocketWatchConnection } from '../watch/watch-connection.js';
import { type ResourceRoute, resolveRoute } from './api-route.js';
import type { ControlRoutes } from './control-routes.js';
import { serveDiscovery } from './discovery-handler.js';
import { sendError, sendJson } from './http-response.js';
import { serveList } from './list-handler.js';
import { serveObjectRequest } from './object-request-handler.js';
import { negotiateProjection } from './projection.js';
import { readObjectBody } from './request-body.js';
import { type SubresourceParts, serveActionSubresource } from './subresource-handler.js';
import { prepareWatch, type WatchEnvironment } from './watch-handler.js';

export interface RequestHandlerParts extends SubresourceParts {
  readonly catalog: ResourceCatalog;
  readonly objectStore: ObjectStore;
  readonly auth: Authenticator;
  readonly faults: FaultInjector;
  readonly control: ControlRoutes | undefined;
  readonly watchEnvironment: WatchEnvironment;
  readonly webSockets: WebSocketServer;
  readonly version: ServerVersion;
  /** `host:port` for `/api`'s serverAddressByClientCIDRs. */
  readonly serverAddress: () => string;
  /** Read at every request, so a test can switch a gate while the server runs. */
  readonly featureGates: FeatureGates;
}

/**
 * The request pipeline of the fake server: control path, routing, injected faults, authentication,
 * authorization of read-only users, then discovery, list, watch (HTTP or WebSocket) or object requests.
 * Every failure is answered with a `Status`.
 */
export class ApiRequestHandler {
  constructor(private readonly parts: RequestHandlerParts) {}

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const url = new URL(request.url ?? '/', 'http://fake');
      if (url.pathname.startsWith('/_fake/')) {
        if (this.parts.control === undefined)
          throw new ApiStatusError({
            code: 404,
            reason: 'NotFound',
            message: 'the control path is disabled (start with control: true)',
          });
        await this.parts.control.handle(request, response, url);
        return;
      }
      const route = resolveRoute(request.method ?? 'GET', url.pathname, url.searchParams, this.parts.catalog);
      await this.parts.faults.beforeRequest(route.verb, url.pathname);
      const user = this.parts.auth.authenticate(request);
      if (route.type === 'discovery') {
        serveDiscovery(
          url.pathname,
          this.parts.catalog,
          this.parts.version,
          this.parts.serverAddress(),
          response,
        );
        return;
      }
      // Every user may review its own access, as RBAC's system:basic-user role grants.
      const review = route.verb === 'create' ? accessReviews[resourceKey(route.resource)] : undefined;
      if (review !== undefined) {
        sendJson(response, 201, review(await readObjectBody(request), user));
        return;
      }
      if (!isAllowed(user, accessAttributes(route))) throw forbidden(user.name, route);
      if (route.subresource === 'eviction' || route.subresource === 'log' || route.subresource === 'token') {
        await serveActionSubresource(route, request, url.searchParams, response, this.parts);
        return;
      }
      const projection = negotiateProjection(request.headers.accept, url.searchParams.get('includeObject'));
      const filter = () => this.filterFor(route, url.searchParams);
      if (route.verb === 'list') {
        await serveList(
          { resource: route.resource, filter: filter(), query: url.searchParams, projection },
          this.parts.watchEnvironment,
          response,
        );
      } else if (route.verb === 'watch') {
        const open = await prepareWatch(
          { resource: route.resource, filter: filter(), query: url.searchParams, projection },
          this.parts.watchEnvironment,
        );
        open(new HttpWatchConnection(response));
      } else {
        await serveObjectRequest(
          { route, message: request, query: url.searchParams, projection, filter },
          this.parts.objectStore,
          response,
        );
      }
    } catch (error) {
      // Drain an unread body so the connection stays usable for the client's next request.
      request.resume();
      sendError(response, error);
    }
  }

  /** WebSocket watches: the same URL as an HTTP watch, one event per text message. */
  async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    try {
      const url = new URL(request.url ?? '/', 'http://fake');
      const route = resolveRoute('GET', url.pathname, url.searchParams, this.parts.catalog);
      if (route.type !== 'resource' || route.verb !== 'watch') {
        throw new ApiStatusError({
          code: 400,
          reason: 'BadRequest',
          message: 'only watch requests can be upgraded to WebSocket',
        });
      }
      await this.parts.faults.beforeRequest('watch', url.pathname);
      applyWebSocketBearer(request);
      this.parts.auth.authenticate(request);
      const projection = negotiateProjection(request.headers.accept, url.searchParams.get('includeObject'));
      const open = await prepareWatch(
        {
          resource: route.resource,
          filter: this.filterFor(route, url.searchParams),
          query: url.searchParams,
          projection,
        },
        this.parts.watchEnvironment,
      );
      this.parts.webSockets.handleUpgrade(request, socket, head, (webSocket) =>
        open(new WebSocketWatchConnection(webSocket)),
      );
    } catch (error) {
      const status = (
        error instanceof ApiStatusError
          ? error
          : new ApiStatusError({ code: 500, reason: 'InternalError', message: String(error) })
      ).toStatus();
      const body = JSON.stringify(status);
      socket.end(
        `HTTP/1.1 ${status.code} ${status.reason ?? 'Error'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    }
  }

  private filterFor(route: ResourceRoute, query: URLSearchParams): ObjectFilter {
    let fieldSelector = query.get('fieldSelector') ?? '';
    // A watch on a named object (`…/pods/web-0?watch=1`) is a watch of the collection narrowed to it.
    if (route.name !== undefined && route.verb === 'watch') {
      fieldSelector = [fieldSelector, `metadata.name=${route.name}`].filter((part) => part !== '').join(',');
    }
    return ObjectFilter.parse(
      route.resource,
      route.namespace,
      query.get('labelSelector') ?? undefined,
      fieldSelector,
      // Without the gate the parameter is ignored, however malformed, and no shardInfo is sent.
      this.parts.featureGates.ShardedListAndWatch ? (query.get('shardSelector') ?? undefined) : undefined,
    );
  }
}

function accessAttributes(route: ResourceRoute): AccessAttributes {
  return {
    verb: route.verb,
    group: route.resource.group,
    resource: route.resource.resource,
    subresource: route.subresource,
    namespace: route.namespace,
    name: route.name,
  };
}

function forbidden(user: string, route: ResourceRoute): ApiStatusError {
  const { namespace, verb } = route;
  const resource = {
    ...route.resource,
    resource:
      route.subresource === undefined
        ? route.resource.resource
        : `${route.resource.resource}/${route.subresource}`,
  };
  const scope = namespace === undefined ? 'at the cluster scope' : `in the namespace "${namespace}"`;
  return new ApiStatusError({
    code: 403,
    reason: 'Forbidden',
    message: `${resource.resource} is forbidden: User "${user}" cannot ${verb} resource "${resource.resource}" in API group "${resource.group}" ${scope}`,
    details: {
      kind: resource.resource,
      group: resource.group,
      ...(route.name === undefined ? {} : { name: route.name }),
    },
  });
}
