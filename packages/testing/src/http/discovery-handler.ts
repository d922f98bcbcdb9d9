import type { ServerResponse } from 'node:http';
import {
  coreVersionsDocument,
  groupDocument,
  groupListDocument,
  resourceListDocument,
  type ServerVersion,
  versionDocument,
} from '../resources/discovery.js';
import { openApiGroupVersionDocument, openApiRootDocument } from '../resources/openapi.js';
import type { ResourceCatalog } from '../resources/resource-catalog.js';
import { pageNotFound } from './api-route.js';
import { sendJson } from './http-response.js';

/**
 * Everything outside resource paths: `/version`, health endpoints and legacy discovery. Answers are
 * always `application/json`, so a client asking for aggregated discovery (`as=APIGroupDiscoveryList`)
 * sees from the content type that it got the legacy form and falls back, as kubectl does.
 *
 * `/openapi/v3` serves the minimal documents of `openapi.ts`; `/openapi/v2` is not served (404).
 */
export function serveDiscovery(
  path: string,
  catalog: ResourceCatalog,
  version: ServerVersion,
  serverAddress: string,
  response: ServerResponse,
): void {
  const segments = path.split('/').filter((segment) => segment !== '');
  const [root] = segments;
  if (segments.length === 1 && (root === 'healthz' || root === 'livez' || root === 'readyz')) {
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('ok');
    return;
  }
  const document = discoveryDocument(segments, catalog, version, serverAddress);
  if (document === undefined) throw pageNotFound(path);
  sendJson(response, 200, document);
}

function discoveryDocument(
  segments: readonly string[],
  catalog: ResourceCatalog,
  version: ServerVersion,
  serverAddress: string,
): object | undefined {
  const [root, second, third] = segments;
  switch (root) {
    case undefined:
      return {
        paths: ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/openapi/v3', '/readyz', '/version'],
      };
    case 'version':
      return segments.length === 1 ? versionDocument(version) : undefined;
    case 'openapi':
      if (second !== 'v3') return undefined;
      return segments.length === 2
        ? openApiRootDocument(catalog)
        : openApiGroupVersionDocument(catalog, segments.slice(2).join('/'));
    case 'api': {
      if (segments.length === 1) return coreVersionsDocument(serverAddress);
      const resources = segments.length === 2 ? catalog.groupVersion('', second!) : undefined;
      return resources === undefined ? undefined : resourceListDocument('', second!, resources);
    }
    case 'apis': {
      if (segments.length === 1) return groupListDocument(catalog);
      const group = catalog.groups().find((entry) => entry.group === second);
      if (group !== undefined && segments.length === 2) return groupDocument(group.group, group.version);
      const resources = segments.length === 3 ? catalog.groupVersion(second!, third!) : undefined;
      return resources === undefined ? undefined : resourceListDocument(second!, third!, resources);
    }
    default:
      return undefined;
  }
}
