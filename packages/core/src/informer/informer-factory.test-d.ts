import { describe, expectTypeOf, it } from 'vitest';
import type { PartialObjectMetadata } from '../protocol/partial-object-metadata.js';
import type { Transport } from '../protocol/transport.js';
import type { DeepReadonly } from '../store/deep-readonly.js';
import type { TestPod } from '../test-support/test-resources.js';
import { testPods } from '../test-support/test-resources.js';
import { createInformerFactory } from './informer-factory.js';
import type { SharedInformer } from './shared-informer.js';
import { stripManagedFields } from './strip-managed-fields.js';

declare const transport: Transport;

describe('InformerFactory types', () => {
  const factory = createInformerFactory(transport, { transform: stripManagedFields });

  it('types the informer by its descriptor and infers index names from indexers', () => {
    const informer = factory.informerFor(testPods, {
      indexers: { byIP: (pod) => pod.status?.podIPs?.map((entry) => entry.ip) ?? [] },
    });
    expectTypeOf(informer).toExtend<SharedInformer<TestPod, 'byIP'>>();
    expectTypeOf(informer.store.byIndex).parameter(0).toEqualTypeOf<'byIP' | 'namespace'>();
    expectTypeOf(informer.store.byIndex('byIP', '10.0.0.1')).toEqualTypeOf<DeepReadonly<TestPod>[]>();
    // @ts-expect-error the seed's typo: 'byIp' is not an index of this informer
    informer.store.byIndex('byIp', '10.0.0.1');
  });

  it('has no index names but namespace without indexers', () => {
    const informer = factory.informerFor(testPods);
    expectTypeOf(informer.store.byIndex).parameter(0).toEqualTypeOf<'namespace'>();
  });

  it('types metadata-only informers as PartialObjectMetadata', () => {
    const informer = factory.informerFor(testPods, { metadataOnly: true });
    expectTypeOf(informer.store.list()).toEqualTypeOf<DeepReadonly<PartialObjectMetadata>[]>();
    informer.addEventHandler({
      onAdd: (object) => {
        expectTypeOf(object).toEqualTypeOf<DeepReadonly<PartialObjectMetadata>>();
      },
    });
  });

  it('refuses options of the wrong object type', () => {
    factory.informerFor(testPods, {
      // @ts-expect-error an indexer of another type does not fit
      indexers: { byReplicas: (object: { spec: { replicas: number } }) => [String(object.spec.replicas)] },
    });
  });
});
