import {
  createInformerFactory,
  type DeepReadonly,
  type PartialObjectMetadata,
  type SharedInformer,
} from '@kubeinformers/core';
import { KubeConfig, type V1Pod, type V1ReplicaSet, type V1Service } from '@kubernetes/client-node';
import { describe, expectTypeOf, it } from 'vitest';
import { pods, replicaSets, services } from './built-in-resources.js';
import { kubeConfigTransport } from './kube-config-transport.js';
import type { Wire } from './wire.js';

const factory = createInformerFactory(kubeConfigTransport(new KubeConfig()));

describe('informers from the built-in descriptors, through the core factory', () => {
  it('are typed end to end: pods with a typed index, ReplicaSets, Services', () => {
    const podInformer = factory.informerFor(pods, {
      indexers: { byIP: (pod) => pod.status?.podIPs?.map((entry) => entry.ip) ?? [] },
    });
    expectTypeOf(podInformer).toEqualTypeOf<SharedInformer<Wire<V1Pod>, 'byIP'>>();
    expectTypeOf(podInformer.store.getByKey('shop/web-0')).toEqualTypeOf<
      DeepReadonly<Wire<V1Pod>> | undefined
    >();
    const pod = podInformer.store.byIndex('byIP', '10.0.0.11')[0];
    expectTypeOf(pod?.metadata?.creationTimestamp).toEqualTypeOf<string | undefined>();
    expectTypeOf(pod?.spec?.containers[0]?.name).toEqualTypeOf<string | undefined>();
    // @ts-expect-error index names are checked: 'byIp' is not 'byIP'
    podInformer.store.byIndex('byIp', '10.0.0.11');

    const replicaSetInformer = factory.informerFor(replicaSets);
    expectTypeOf(replicaSetInformer).toEqualTypeOf<SharedInformer<Wire<V1ReplicaSet>, never>>();
    replicaSetInformer.addEventHandler({
      onUpdate(before, after) {
        expectTypeOf(after).toEqualTypeOf<DeepReadonly<Wire<V1ReplicaSet>>>();
        expectTypeOf(before.status?.readyReplicas).toEqualTypeOf<number | undefined>();
      },
    });

    const serviceInformer = factory.informerFor(services, { namespace: 'shop' });
    serviceInformer.addEventHandler({
      onAdd(service) {
        expectTypeOf(service).toEqualTypeOf<DeepReadonly<Wire<V1Service>>>();
        // @ts-expect-error objects from an informer are shared and read-only
        service.spec = {};
      },
    });
  });

  it('hold PartialObjectMetadata when metadata-only', () => {
    const podMetadata = factory.informerFor(pods, { metadataOnly: true });
    expectTypeOf(podMetadata).toEqualTypeOf<SharedInformer<PartialObjectMetadata, never>>();
    // @ts-expect-error a metadata-only informer has no spec
    podMetadata.store.list()[0]?.spec;
  });
});
