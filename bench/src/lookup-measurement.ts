import { lookupOrder, type Metrics, now } from './case-support.js';

/** Lookups of one informer's cache, by key and by namespace (the one index every informer has). */
export interface LookupSubject<K> {
  /** Every cached object's key, in the form the implementation's keyed read takes. */
  readonly keys: readonly K[];
  /** The namespaces holding at least one object. */
  readonly namespaces: readonly string[];
  getByKey(key: K): unknown;
  /** The objects of one namespace, as a fresh array. */
  byNamespace(namespace: string): readonly unknown[];
}

const warmUpMs = 150;
const measureMs = 600;
const batch = 1000;

/**
 * Operations per second of `operation` over arguments in a fixed pseudo-random order, after a warm-up
 * that lets the JIT settle; time-boxed rather than count-boxed so that O(result) lookups on large
 * stores take no longer than O(1) ones. `sink` keeps results alive so no lookup is optimized away.
 */
function operationsPerSecond<A>(argumentsInOrder: readonly A[], operation: (argument: A) => unknown): number {
  const order = lookupOrder(argumentsInOrder.length, 1 << 16);
  let sink = 0;
  let position = 0;
  const run = (until: number): number => {
    let operations = 0;
    while (now() < until) {
      for (let index = 0; index < batch; index += 1) {
        const result = operation(argumentsInOrder[order[position & 0xffff]!]!);
        if (result !== undefined) sink += 1;
        position += 1;
      }
      operations += batch;
    }
    return operations;
  };
  run(now() + warmUpMs);
  const start = now();
  const operations = run(start + measureMs);
  const elapsed = now() - start;
  if (sink === 0) throw new Error('every lookup missed');
  return (operations / elapsed) * 1000;
}

export function measureLookups<K>(subject: LookupSubject<K>): Metrics {
  const getByKeyPerSecond = operationsPerSecond(subject.keys, (key) => subject.getByKey(key));
  const byNamespacePerSecond = operationsPerSecond(subject.namespaces, (namespace) =>
    subject.byNamespace(namespace),
  );
  return {
    getByKeyPerSecond,
    byNamespacePerSecond,
    objectsPerNamespace: subject.keys.length / subject.namespaces.length,
  };
}
