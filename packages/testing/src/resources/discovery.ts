import { apiVersionOf } from '@kubeinformers/core';
import { actionSubresourceDiscovery } from './action-subresources.js';
import type { ApiResource } from './api-resource.js';
import type { ResourceCatalog } from './resource-catalog.js';

/** The Kubernetes version the fake server reports on `/version`. */
export interface ServerVersion {
  readonly major: string;
  readonly minor: string;
}

export const defaultServerVersion: ServerVersion = { major: '1', minor: '32' };

export function versionDocument(version: ServerVersion): object {
  return {
    major: version.major,
    minor: version.minor,
    gitVersion: `v${version.major}.${version.minor}.0-kubeinformers-fake`,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.23.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

/** `/api`: the core group's versions. */
export function coreVersionsDocument(serverAddress: string): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** `/apis`: every named group with its (single) served version. */
export function groupListDocument(catalog: ResourceCatalog): object {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: catalog.groups().map(({ group, version }) => groupDocumentBody(group, version)),
  };
}

/** `/apis/{group}`. */
export function groupDocument(group: string, version: string): object {
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupDocumentBody(group, version) };
}

function groupDocumentBody(group: string, version: string): object {
  const groupVersion = { groupVersion: `${group}/${version}`, version };
  return { name: group, versions: [groupVersion], preferredVersion: groupVersion };
}

/**
 * `/api/v1` or `/apis/{group}/{version}`: the legacy `APIResourceList` (with subresources as
 * `pods/status`), which kubectl falls back to when the answer's content type is plain JSON rather than
 * aggregated discovery.
 */
export function resourceListDocument(
  group: string,
  version: string,
  resources: readonly ApiResource[],
): object {
  const entries: object[] = [];
  for (const resource of resources) {
    entries.push({
      name: resource.resource,
      singularName: resource.singularName,
      namespaced: resource.namespaced,
      kind: resource.kind,
      verbs: resource.verbs,
      ...(resource.shortNames.length > 0 ? { shortNames: resource.shortNames } : {}),
      ...(resource.categories.length > 0 ? { categories: resource.categories } : {}),
    });
    if (resource.hasStatus) {
      entries.push({
        name: `${resource.resource}/status`,
        singularName: '',
        namespaced: resource.namespaced,
        kind: resource.kind,
        verbs: ['get', 'patch', 'update'],
      });
    }
    if (resource.hasScale) {
      entries.push({
        name: `${resource.resource}/scale`,
        singularName: '',
        namespaced: resource.namespaced,
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
        verbs: ['get', 'patch', 'update'],
      });
    }
    entries.push(...actionSubresourceDiscovery(resource));
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version }),
    resources: entries,
  };
}
