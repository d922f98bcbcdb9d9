import { type ActionSubresource, actionSubresources } from '../resources/action-subresources.js';
import type { ApiResource } from '../resources/api-resource.js';
import type { ResourceCatalog } from '../resources/resource-catalog.js';
import { ApiStatusError } from '../storage/api-status-error.js';
import { queryFlag } from './query-flag.js';

/** The request verbs of the API server's authorization vocabulary, plus `discovery` for the rest. */
export type RequestVerb =
  | 'get'
  | 'list'
  | 'watch'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete'
  | 'deletecollection'
  | 'discovery';

export type ApiRoute =
  | { readonly type: 'discovery'; readonly verb: 'discovery'; readonly path: string }
  | {
      readonly type: 'resource';
      readonly verb: RequestVerb;
      readonly resource: ApiResource;
      readonly namespace: string | undefined;
      readonly name: string | undefined;
      readonly subresource: Subresource | undefined;
    };

/**
 * The subresources served: `status` and `scale` where the resource has them, `pods/eviction` (POST),
 * `pods/log` (GET) and `serviceaccounts/token` (POST).
 */
export type Subresource = 'status' | 'scale' | ActionSubresource;

/** A request on a resource (one object or a collection), as opposed to discovery. */
export type ResourceRoute = Extract<ApiRoute, { type: 'resource' }>;

/**
 * Maps method + path + `watch` parameter to a resource request, like the API server's request-info
 * resolver: `/api/v1/namespaces/{ns}/pods/{name}/status`, `/apis/apps/v1/deployments`, cluster-scoped
 * `/api/v1/nodes/{name}`, and the legacy `/api/v1/watch/…` prefix. Paths outside `/api` and `/apis`
 * resources are discovery (or 404 later).
 */
export function resolveRoute(
  method: string,
  pathname: string,
  query: URLSearchParams,
  catalog: ResourceCatalog,
): ApiRoute {
  const segments = pathname
    .split('/')
    .filter((segment) => segment !== '')
    .map(decodeURIComponent);
  let rest: string[];
  let group: string;
  let version: string;
  if (segments[0] === 'api' && segments.length >= 3) {
    group = '';
    version = segments[1]!;
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    group = segments[1]!;
    version = segments[2]!;
    rest = segments.slice(3);
  } else {
    return { type: 'discovery', verb: 'discovery', path: pathname };
  }

  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    catalog.lookup(group, version, rest[2]!)?.namespaced === true
  ) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural = '', name, subresource, ...extra] = rest;
  const resource = catalog.lookup(group, version, plural);
  if (resource === undefined || extra.length > 0 || (namespace !== undefined && !resource.namespaced)) {
    throw pageNotFound(pathname);
  }
  const action =
    subresource !== undefined && Object.hasOwn(actionSubresources, subresource)
      ? actionSubresources[subresource as ActionSubresource]
      : undefined;
  const served =
    (subresource === 'status' && resource.hasStatus) ||
    (subresource === 'scale' && resource.hasScale) ||
    (action !== undefined && action.resource === resource.resource && resource.group === '');
  if (subresource !== undefined && !served) throw pageNotFound(pathname);

  const watch = legacyWatch || queryFlag(query, 'watch') === true;
  const verb =
    action !== undefined
      ? verbOf(method, false, false) === action.verb || verbOf(method, true, false) === action.verb
        ? action.verb
        : undefined
      : verbOf(method, name !== undefined, watch);
  if (
    verb === undefined ||
    (action === undefined && !resource.verbs.includes(verb as never)) ||
    (subresource !== undefined && action === undefined && !['get', 'update', 'patch'].includes(verb))
  ) {
    throw new ApiStatusError({
      code: 405,
      reason: 'MethodNotAllowed',
      message: `the server does not allow this method on the requested resource`,
    });
  }
  return {
    type: 'resource',
    verb,
    resource,
    namespace,
    name,
    subresource: subresource as Subresource | undefined,
  };
}

function verbOf(method: string, named: boolean, watch: boolean): RequestVerb | undefined {
  switch (method) {
    case 'GET':
      return watch ? 'watch' : named ? 'get' : 'list';
    case 'POST':
      return named ? undefined : 'create';
    case 'PUT':
      return named ? 'update' : undefined;
    case 'PATCH':
      return named ? 'patch' : undefined;
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return undefined;
  }
}

export function pageNotFound(path: string): ApiStatusError {
  return new ApiStatusError({
    code: 404,
    reason: 'NotFound',
    message: `the server could not find the requested resource`,
    details: { causes: [{ reason: 'UnexpectedServerResponse', message: `404 page not found: ${path}` }] },
  });
}
