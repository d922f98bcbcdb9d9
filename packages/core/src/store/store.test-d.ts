import { describe, expectTypeOf, it } from 'vitest';
import type { DeepReadonly } from './deep-readonly.js';
import { IndexedStore } from './indexed-store.js';
import type { Store } from './store.js';

interface Pod {
  metadata?: { name?: string; namespace?: string; labels?: { [key: string]: string } };
  spec?: { containers: { name: string; ports?: { containerPort: number }[] }[] };
  status?: { podIPs?: { ip: string }[]; startTime?: Date };
}

declare const store: Store<Pod, 'byIP'>;

describe('Store types', () => {
  it('accepts its own index names and the built-in namespace index, and nothing else', () => {
    expectTypeOf(store.byIndex('byIP', '10.0.0.1')).toEqualTypeOf<DeepReadonly<Pod>[]>();
    expectTypeOf(store.indexKeys('namespace', 'default')).toEqualTypeOf<string[]>();
    // @ts-expect-error a misspelled index name does not compile
    store.byIndex('byIp', '10.0.0.1');
    // @ts-expect-error neither does an index the store was not given
    store.listIndexValues('byNode');
    expectTypeOf(store.indexNames).toEqualTypeOf<readonly ('byIP' | 'namespace')[]>();
  });

  it('returns deeply read-only objects', () => {
    const pod = store.getByKey('default/a');
    expectTypeOf(pod).toEqualTypeOf<DeepReadonly<Pod> | undefined>();
    if (pod?.spec === undefined) return;
    const { containers } = pod.spec;
    // @ts-expect-error top-level properties are read-only
    pod.metadata = {};
    // @ts-expect-error nested arrays are read-only
    containers.push({ name: 'sidecar' });
    const container = containers[0];
    if (container === undefined) return;
    // @ts-expect-error nested objects are read-only
    container.name = 'renamed';
    expectTypeOf(pod.status?.startTime).toEqualTypeOf<Date | undefined>();
  });

  it('widens its index names when indexers are added', () => {
    const indexed = new IndexedStore<Pod, 'byIP'>(
      { byIP: (pod) => pod.status?.podIPs?.map((entry) => entry.ip) ?? [] },
      () => {},
    );
    const wider = indexed.addIndexers({ byName: (pod) => [pod.metadata?.name ?? ''] });
    expectTypeOf(wider.byIndex('byName', 'a')).toEqualTypeOf<DeepReadonly<Pod>[]>();
    expectTypeOf(wider.byIndex('byIP', 'a')).toEqualTypeOf<DeepReadonly<Pod>[]>();
    indexed.addIndexers({
      mutating: (pod) => {
        // @ts-expect-error index functions see read-only objects
        pod.metadata!.name = 'x';
        return [];
      },
    });
  });

  it('leaves any alone', () => {
    // biome-ignore lint/suspicious/noExplicitAny: proves that `any` passes through untouched.
    expectTypeOf<DeepReadonly<any>>().toBeAny();
  });
});
