import type { ResourceDescriptor } from '@kubeinformers/core';
import { ApiStatusError } from '../storage/api-status-error.js';
import type { ApiResource, ResourceRegistration } from './api-resource.js';
import { resourceKey, toApiResource } from './api-resource.js';
import { builtinResources } from './builtin-resources.js';

/**
 * How callers name a resource in the in-process API: a descriptor (typed ones from the adapter package
 * work), or a string — the plural (`pods`), `plural.group` (`deployments.apps`), a short name (`deploy`) or
 * the kind (`Deployment`).
 */
export type ResourceTarget = string | Pick<ResourceDescriptor, 'group' | 'resource'>;

/** The resources one fake server serves: the built-ins plus whatever was registered. */
export class ResourceCatalog {
  private readonly byKey = new Map<string, ApiResource>();
  private readonly byGroupVersion = new Map<string, ApiResource[]>();
  private readonly listeners = new Set<(resource: ApiResource) => void>();

  constructor() {
    for (const resource of builtinResources) this.add(resource);
  }

  /**
   * Serves a new resource (typically a custom resource) from now on: discovery lists it and its paths
   * accept every advertised verb. Registering the same group/resource again with identical scope and
   * kind is a no-op; anything else that collides throws.
   */
  register(registration: ResourceRegistration): ApiResource {
    const resource = toApiResource(registration);
    const existing = this.byKey.get(resourceKey(resource));
    if (existing !== undefined) {
      if (
        existing.version === resource.version &&
        existing.kind === resource.kind &&
        existing.namespaced === resource.namespaced
      ) {
        return existing;
      }
      throw new ApiStatusError({
        code: 409,
        reason: 'AlreadyExists',
        message: `resource ${resourceKey(resource)} is already served as ${existing.version} ${existing.kind}`,
      });
    }
    this.add(resource);
    for (const listener of this.listeners) listener(resource);
    return resource;
  }

  /** Called for every resource registered after construction (the store creates its tables lazily). */
  onRegister(listener: (resource: ApiResource) => void): void {
    this.listeners.add(listener);
  }

  all(): readonly ApiResource[] {
    return [...this.byKey.values()];
  }

  /** Resource for a request path's group, version and plural; `undefined` when nothing is served there. */
  lookup(group: string, version: string, plural: string): ApiResource | undefined {
    const resource = this.byKey.get(group === '' ? plural : `${group}/${plural}`);
    return resource?.version === version ? resource : undefined;
  }

  /** The resources of one group/version, in registration order, for discovery. */
  groupVersion(group: string, version: string): readonly ApiResource[] | undefined {
    return this.byGroupVersion.get(`${group}/${version}`);
  }

  /** Every served group (not the core group) with its single version, in first-registered order. */
  groups(): { readonly group: string; readonly version: string }[] {
    const groups: { group: string; version: string }[] = [];
    for (const key of this.byGroupVersion.keys()) {
      const [group = '', version = ''] = key.split('/');
      if (group !== '') groups.push({ group, version });
    }
    return groups;
  }

  /** Resolves a descriptor or name; throws a 404 `ApiStatusError` when nothing matches. */
  resolve(target: ResourceTarget): ApiResource {
    const found = typeof target === 'string' ? this.findByName(target) : this.byKey.get(resourceKey(target));
    if (found === undefined) {
      const name = typeof target === 'string' ? target : resourceKey(target);
      throw new ApiStatusError({
        code: 404,
        reason: 'NotFound',
        message: `the server doesn't have a resource type "${name}"`,
      });
    }
    return found;
  }

  private findByName(name: string): ApiResource | undefined {
    const direct = this.byKey.get(name);
    if (direct !== undefined) return direct;
    const dot = name.indexOf('.');
    if (dot !== -1) {
      const dotted = this.byKey.get(`${name.slice(dot + 1)}/${name.slice(0, dot)}`);
      if (dotted !== undefined) return dotted;
    }
    const lower = name.toLowerCase();
    for (const resource of this.byKey.values()) {
      if (
        resource.resource === lower ||
        resource.shortNames.includes(lower) ||
        resource.kind === name ||
        resource.singularName === lower
      ) {
        return resource;
      }
    }
    return undefined;
  }

  private add(resource: ApiResource): void {
    this.byKey.set(resourceKey(resource), resource);
    const groupVersion = `${resource.group}/${resource.version}`;
    const list = this.byGroupVersion.get(groupVersion) ?? [];
    list.push(resource);
    this.byGroupVersion.set(groupVersion, list);
  }
}
