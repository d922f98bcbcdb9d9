/**
 * The little core needs to know about any Kubernetes object: its identity and version. Typed models
 * (`V1Pod` from the official client, a CRD's interface) are structurally assignable to it.
 */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: KubeObjectMeta;
}

export interface KubeObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  labels?: { [key: string]: string };
  annotations?: { [key: string]: string };
}
