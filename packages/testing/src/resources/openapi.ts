import type { ApiResource } from './api-resource.js';
import { openApiSchemasFor } from './openapi-schemas.js';
import type { ResourceCatalog } from './resource-catalog.js';

/**
 * OpenAPI v3 documents: every resource's PATCH accepts the `fieldValidation` query parameter, so kubectl
 * leaves validation to the server (`fieldValidation=Strict`) and `kubectl create -f` and `apply -f` work
 * without `--validate=false`; and the built-in kinds' schemas (generated from @kubernetes/client-node's
 * models, see `resources/openapi-schemas.ts`) are published for `kubectl explain`. The fake server itself
 * does not validate against them: it stores unknown fields as sent.
 */
export function openApiRootDocument(catalog: ResourceCatalog): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const { prefix } of groupVersions(catalog)) {
    // The hash only needs to change when the document does: registering a resource changes the count.
    const hash = `${catalog.all().length}`;
    paths[prefix] = { serverRelativeURL: `/openapi/v3/${prefix}?hash=${hash}` };
  }
  return { paths };
}

/** The document of one group/version (`api/v1`, `apis/apps/v1`), or `undefined` when not served. */
export function openApiGroupVersionDocument(catalog: ResourceCatalog, prefix: string): object | undefined {
  const entry = groupVersions(catalog).find((candidate) => candidate.prefix === prefix);
  if (entry === undefined) return undefined;
  const paths: Record<string, object> = {};
  for (const resource of entry.resources) {
    if (!resource.verbs.includes('patch')) continue;
    const scope = resource.namespaced ? '/namespaces/{namespace}' : '';
    paths[`/${prefix}${scope}/${resource.resource}/{name}`] = { patch: patchOperation(resource) };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes (kubeinformers fake)', version: 'unversioned' },
    paths,
    components: { schemas: openApiSchemasFor(entry.resources) },
  };
}

function patchOperation(resource: ApiResource): object {
  return {
    operationId: `patch${resource.kind}`,
    'x-kubernetes-action': 'patch',
    'x-kubernetes-group-version-kind': {
      group: resource.group,
      version: resource.version,
      kind: resource.kind,
    },
    parameters: [
      { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
      { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
      { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
      { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } },
    ],
    responses: { '200': { description: 'OK' } },
  };
}

function groupVersions(catalog: ResourceCatalog): { prefix: string; resources: readonly ApiResource[] }[] {
  const result = [{ prefix: 'api/v1', resources: catalog.groupVersion('', 'v1') ?? [] }];
  for (const { group, version } of catalog.groups()) {
    result.push({
      prefix: `apis/${group}/${version}`,
      resources: catalog.groupVersion(group, version) ?? [],
    });
  }
  return result;
}
