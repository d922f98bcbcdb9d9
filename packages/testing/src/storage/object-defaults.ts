import type { ApiResource } from '../resources/api-resource.js';
import type { JsonObject, ObjectMetadata } from './stored-revision.js';

/**
 * The few per-kind defaults clients commonly read back on create (a namespace's name label and phase, a
 * pod's phase, a service's cluster IP); everything else is stored as sent.
 */
export class ObjectDefaults {
  private nextClusterIp = 10;

  /** Fills in the defaults of `resource` on `object`, in place. */
  apply(resource: ApiResource, object: JsonObject): void {
    if (resource.group !== '') return;
    const metadata = object.metadata as ObjectMetadata;
    if (resource.resource === 'namespaces') {
      metadata.labels = { ...metadata.labels, 'kubernetes.io/metadata.name': metadata.name ?? '' };
      object.status ??= { phase: 'Active' };
    } else if (resource.resource === 'pods') {
      object.status ??= { phase: 'Pending', qosClass: 'BestEffort' };
    } else if (resource.resource === 'services') {
      const spec: JsonObject = { type: 'ClusterIP', ...(object.spec as JsonObject | undefined) };
      if (spec.type !== 'ExternalName' && spec.clusterIP === undefined) {
        // Sequential addresses from the default service CIDR 10.96.0.0/12.
        const address = this.nextClusterIp++;
        spec.clusterIP = `10.96.${address >> 8}.${address & 255}`;
        spec.clusterIPs = [spec.clusterIP];
      }
      object.spec = spec;
    }
  }
}
