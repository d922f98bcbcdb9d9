import type { KubeObject, KubeObjectMeta } from './kube-object.js';

/**
 * What a metadata-only informer holds: the object's `metadata` and nothing else (the server sends
 * `kind: PartialObjectMetadata`, `apiVersion: meta.k8s.io/v1`). A fraction of the memory of full objects,
 * for controllers that only need names, labels, owners or finalizers.
 * @see client-go `metadatainformer`, apimachinery `metav1.PartialObjectMetadata`
 */
export interface PartialObjectMetadata extends KubeObject {
  metadata: KubeObjectMeta & { readonly [field: string]: unknown };
}
