import type { StoredEvent } from '../storage/event-history.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { ResourceTable } from '../storage/resource-table.js';
import type { ResourceRegistration } from './api-resource.js';
import { resourceKey } from './api-resource.js';
import type { ResourceCatalog } from './resource-catalog.js';

// biome-ignore lint/suspicious/noExplicitAny: CRD specs are read defensively from arbitrary JSON.
type Any = any;

/**
 * What a `CustomResourceDefinition` object asks to serve: its group, names, scope, the storage (or
 * first served) version, the status subresource and `selectableFields`. `undefined` when the object does
 * not say enough.
 */
export function registrationFromDefinition(definition: Any): ResourceRegistration | undefined {
  const spec = definition?.spec;
  const names = spec?.names;
  if (
    typeof spec?.group !== 'string' ||
    typeof names?.plural !== 'string' ||
    typeof names?.kind !== 'string'
  ) {
    return undefined;
  }
  const versions: Any[] = Array.isArray(spec.versions) ? spec.versions : [];
  const version =
    versions.find((entry) => entry?.storage === true) ?? versions.find((entry) => entry?.served !== false);
  if (typeof version?.name !== 'string') return undefined;
  const selectable: Any[] = version.selectableFields ?? spec.selectableFields ?? [];
  return {
    group: spec.group,
    version: version.name,
    resource: names.plural,
    kind: names.kind,
    namespaced: spec.scope !== 'Cluster',
    singularName: names.singular ?? names.kind.toLowerCase(),
    shortNames: Array.isArray(names.shortNames) ? names.shortNames : [],
    categories: Array.isArray(names.categories) ? names.categories : [],
    hasStatus: version.subresources?.status !== undefined || spec.subresources?.status !== undefined,
    selectableFields: selectable
      .map((field) => (typeof field?.jsonPath === 'string' ? field.jsonPath.replace(/^\./, '') : undefined))
      .filter((path): path is string => path !== undefined),
  };
}

/**
 * Makes created `CustomResourceDefinition`s take effect, as the apiextensions server does: the resource
 * is served from then on (discovery, CRUD, list, watch) and the definition's status reports
 * `NamesAccepted` and `Established` (so `kubectl wait --for condition=established` works). A definition
 * that collides with a served resource gets `NamesAccepted=False`. Deleting a definition does not stop
 * serving its resource.
 */
export function serveCustomResourceDefinitions(objectStore: ObjectStore, catalog: ResourceCatalog): void {
  objectStore.onChange((table: ResourceTable, event: StoredEvent) => {
    if (
      resourceKey(table.resource) !== 'apiextensions.k8s.io/customresourcedefinitions' ||
      event.type !== 'ADDED'
    )
      return;
    const name = event.object.metadata.name ?? '';
    // After the current write has reached every listener: a nested write would overtake it.
    queueMicrotask(() => {
      const registration = registrationFromDefinition(event.object.object);
      let accepted = registration !== undefined;
      let message = accepted
        ? 'no conflicts found'
        : 'spec.group, spec.names and a served version are required';
      if (registration !== undefined) {
        try {
          catalog.register(registration);
        } catch (error) {
          accepted = false;
          message = (error as Error).message;
        }
      }
      const condition = (type: string, status: boolean, reason: string, text: string) => ({
        type,
        status: status ? 'True' : 'False',
        lastTransitionTime: `${new Date().toISOString().slice(0, 19)}Z`,
        reason,
        message: text,
      });
      try {
        objectStore.patch(table.resource, undefined, name, 'merge', {
          status: {
            conditions: [
              condition('NamesAccepted', accepted, accepted ? 'NoConflicts' : 'NameConflict', message),
              condition(
                'Established',
                accepted,
                accepted ? 'InitialNamesAccepted' : 'NotAccepted',
                accepted ? 'the initial names have been accepted' : message,
              ),
            ],
            acceptedNames: accepted ? (event.object.object.spec as Any).names : {},
            storedVersions: registration === undefined ? [] : [registration.version],
          },
        });
      } catch {
        // The definition was deleted or changed in the meantime; nothing to report on.
      }
    });
  });
}
