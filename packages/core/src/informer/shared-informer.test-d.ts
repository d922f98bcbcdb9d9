import { describe, expectTypeOf, it } from 'vitest';
import type { DeepReadonly } from '../store/deep-readonly.js';
import type { Lister } from '../store/lister.js';
import type { Store } from '../store/store.js';
import type { ListWatchRunner } from './shared-informer.js';
import { SharedInformer } from './shared-informer.js';

interface Pod {
  metadata?: { name?: string; namespace?: string };
  spec?: { nodeName?: string };
  status?: { podIPs?: { ip: string }[] };
}

/** Typed by the resource, as the factory's runner is: the informer's object type is inferred from it. */
const listWatch: ListWatchRunner<Pod> = () => Promise.resolve();

describe('SharedInformer types', () => {
  it('infers index names from the indexers it is given', () => {
    const informer = new SharedInformer({
      resourceName: 'pods',
      listWatch,
      indexers: { byIP: (pod) => pod.status?.podIPs?.map((entry) => entry.ip) ?? [] },
    });
    expectTypeOf(informer.store).toExtend<Store<Pod, 'byIP'>>();
    expectTypeOf(informer.store.byIndex).parameter(0).toEqualTypeOf<'byIP' | 'namespace'>();
    informer.store.byIndex('byIP', '10.0.0.1');
    // @ts-expect-error 'byIp' is not 'byIP'
    informer.store.byIndex('byIp', '10.0.0.1');
    const wider = informer.addIndexers({ byNode: (pod) => (pod.spec?.nodeName ? [pod.spec.nodeName] : []) });
    expectTypeOf(wider.byIndex).parameter(0).toEqualTypeOf<'byIP' | 'byNode' | 'namespace'>();
    expectTypeOf(informer.lister).toExtend<Lister<Pod>>();
    expectTypeOf(informer.lister.list()).toEqualTypeOf<DeepReadonly<Pod>[]>();
  });

  it('types handler arguments as read-only objects of the resource', () => {
    const informer = new SharedInformer<Pod>({ resourceName: 'pods', listWatch });
    informer.addEventHandler({
      onAdd(pod, { isInInitialList }) {
        expectTypeOf(pod).toEqualTypeOf<DeepReadonly<Pod>>();
        expectTypeOf(isInInitialList).toEqualTypeOf<boolean>();
      },
      onUpdate(oldPod, newPod) {
        expectTypeOf(oldPod).toEqualTypeOf<DeepReadonly<Pod>>();
        expectTypeOf(newPod).toEqualTypeOf<DeepReadonly<Pod>>();
        // @ts-expect-error handlers must not mutate shared objects
        newPod.metadata = {};
      },
      onDelete(pod, { finalStateUnknown }) {
        expectTypeOf(pod).toEqualTypeOf<DeepReadonly<Pod>>();
        expectTypeOf(finalStateUnknown).toEqualTypeOf<boolean>();
      },
    });
    // Async handlers are accepted (their rejections are reported).
    informer.addEventHandler({ onAdd: async () => {} });
    informer.addEventHandler({
      // @ts-expect-error a handler method with a wrong signature does not compile
      onDelete: (pod: DeepReadonly<Pod>, context: { gone: boolean }) => void [pod, context],
    });
  });

  it('types the transform over the mutable object and the store over read-only ones', () => {
    const informer = new SharedInformer<Pod>({
      resourceName: 'pods',
      listWatch,
      transform: (pod) => {
        expectTypeOf(pod).toEqualTypeOf<Pod>();
        return pod;
      },
    });
    expectTypeOf(informer.store.list()).toEqualTypeOf<DeepReadonly<Pod>[]>();
    expectTypeOf(informer.lister.namespace('default').get('a')).toEqualTypeOf<
      DeepReadonly<Pod> | undefined
    >();
  });
});
