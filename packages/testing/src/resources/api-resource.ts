import type { ResourceDescriptor } from '@kubeinformers/core';

/** The verbs discovery advertises; the server honours exactly these for the resource. */
export type ApiVerb =
  | 'create'
  | 'delete'
  | 'deletecollection'
  | 'get'
  | 'list'
  | 'patch'
  | 'update'
  | 'watch';

/** Reads one selectable field of a stored object as the API renders it (`"true"`, `"Running"`, …). */
export type FieldReader = (object: StoredShape) => string | undefined;

/** What field readers see: a plain JSON object. */
// biome-ignore lint/suspicious/noExplicitAny: stored objects are arbitrary JSON; readers probe paths defensively.
export type StoredShape = { readonly [key: string]: any };

/**
 * Everything the fake server knows about one resource: the descriptor fields (group, version, plural
 * `resource`, `kind`, `namespaced`) plus what discovery publishes and which fields can be selected.
 */
export interface ApiResource extends ResourceDescriptor {
  readonly singularName: string;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly verbs: readonly ApiVerb[];
  /** Whether `…/{name}/status` exists; if it does, writes to the main resource leave `status` untouched. */
  readonly hasStatus: boolean;
  /** Whether `…/{name}/scale` (an `autoscaling/v1` Scale over `spec.replicas`) exists. */
  readonly hasScale: boolean;
  /**
   * Field selector support beyond `metadata.name` and `metadata.namespace`, which every resource has.
   * Selecting on any other field is a 400, as on the real server.
   */
  readonly selectableFields: Readonly<Record<string, FieldReader>>;
}

/** What `registerResource()` takes: a descriptor plus optional discovery details. */
export interface ResourceRegistration
  extends Pick<ResourceDescriptor, 'group' | 'version' | 'resource' | 'kind' | 'namespaced'> {
  readonly singularName?: string;
  readonly shortNames?: readonly string[];
  readonly categories?: readonly string[];
  readonly verbs?: readonly ApiVerb[];
  /** Defaults to `true`, like a CRD declaring `subresources.status`. */
  readonly hasStatus?: boolean;
  /** Serve `…/scale` over `spec.replicas`; default `false`. */
  readonly hasScale?: boolean;
  /** Extra selectable fields as JSON paths (`spec.color`), like a CRD's `selectableFields`. */
  readonly selectableFields?: readonly string[] | Readonly<Record<string, FieldReader>>;
}

export const allVerbs: readonly ApiVerb[] = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

/** Builds a complete `ApiResource` from a registration, filling in the defaults a CRD would get. */
export function toApiResource(registration: ResourceRegistration): ApiResource {
  const selectable = registration.selectableFields ?? [];
  const selectableFields: Record<string, FieldReader> = Array.isArray(selectable)
    ? Object.fromEntries((selectable as readonly string[]).map((path) => [path, readJsonPath(path)]))
    : { ...(selectable as Readonly<Record<string, FieldReader>>) };
  return Object.freeze({
    group: registration.group,
    version: registration.version,
    resource: registration.resource,
    kind: registration.kind,
    namespaced: registration.namespaced,
    singularName: registration.singularName ?? registration.kind.toLowerCase(),
    shortNames: Object.freeze([...(registration.shortNames ?? [])]),
    categories: Object.freeze([...(registration.categories ?? [])]),
    verbs: Object.freeze([...(registration.verbs ?? allVerbs)]),
    hasStatus: registration.hasStatus ?? true,
    hasScale: registration.hasScale ?? false,
    selectableFields: Object.freeze(selectableFields),
  });
}

/** A reader for a dotted JSON path; scalars are rendered as strings, anything else as absent. */
export function readJsonPath(path: string): FieldReader {
  const segments = path.split('.');
  return (object) => {
    let current: unknown = object;
    for (const segment of segments) {
      if (current === null || typeof current !== 'object') return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
    if (typeof current === 'string') return current;
    if (typeof current === 'number' || typeof current === 'boolean') return String(current);
    return undefined;
  };
}

/** `group/resource` (or `resource` for the core group): the identity of a resource across versions. */
export function resourceKey(resource: Pick<ResourceDescriptor, 'group' | 'resource'>): string {
  return resource.group === '' ? resource.resource : `${resource.group}/${resource.resource}`;
}
