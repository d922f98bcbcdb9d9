import type { KubeObject } from '../protocol/kube-object.js';
import type { ResourceDescriptor } from '../protocol/resource-descriptor.js';
import { apiVersionOf } from '../protocol/resource-descriptor.js';

/** The `apiVersion` and `kind` every object an informer holds or delivers carries. */
export interface TypeMeta {
  readonly apiVersion: string;
  readonly kind: string;
}

/** The resource's, or `meta.k8s.io/v1` `PartialObjectMetadata` for metadata-only requests (as the server sends). */
export function typeMetaOf(
  resource: Pick<ResourceDescriptor, 'group' | 'version' | 'kind'>,
  metadataOnly: boolean,
): TypeMeta {
  return metadataOnly
    ? { apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata' }
    : { apiVersion: apiVersionOf(resource), kind: resource.kind };
}

/**
 * Fills `apiVersion` and `kind` where the object lacks them. The API server leaves them out of list
 * items (the list names the kind once) but sends them on watch objects; filling the list items means
 * handlers never see objects differ by the path they came by. Only missing fields are written: a watch
 * object, which has both, costs two reads.
 */
export function fillTypeMeta(object: KubeObject, typeMeta: TypeMeta): void {
  if (object.apiVersion === undefined) object.apiVersion = typeMeta.apiVersion;
  if (object.kind === undefined) object.kind = typeMeta.kind;
}
