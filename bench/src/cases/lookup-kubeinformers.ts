/** `getByKey`, `get` and `byIndex` rates on a synced kubeinformers pods store. */
import { namespaceIndex } from '@kubeinformers/core';
import { runCase } from '../case-support.js';
import { createPodInformer } from '../kubeinformers-pods.js';
import { measureLookups } from '../lookup-measurement.js';

runCase(async (config) => {
  const pods = createPodInformer(config);
  await pods.sync();
  await pods.stop();
  // The README's pods-by-node index, added to the synced informer (which indexes what it holds at once).
  const store = pods.informer.addIndexers({
    byNode: (pod) => (pod.spec?.nodeName === undefined ? [] : [pod.spec.nodeName]),
  });
  if (store.size !== config.count) throw new Error(`expected ${config.count} pods, got ${store.size}`);
  const nodes = store.listIndexValues('byNode');
  const metrics = measureLookups({
    keys: store.listKeys(),
    namespaces: store.listIndexValues(namespaceIndex),
    getByKey: (key) => store.getByKey(key),
    byNamespace: (namespace) => store.byIndex(namespaceIndex, namespace),
  });
  // `get(namespace, name)`, the same shape as the official client's keyed read; and a custom index (the
  // pods-by-node index of the README), which the official client lacks.
  const second = measureLookups({
    keys: store.list().map((pod) => [pod.metadata?.namespace ?? '', pod.metadata?.name ?? ''] as const),
    namespaces: nodes,
    getByKey: ([namespace, name]) => store.get(namespace, name),
    byNamespace: (node) => store.byIndex('byNode', node),
  });
  return {
    ...metrics,
    getPerSecond: second.getByKeyPerSecond!,
    byNodePerSecond: second.byNamespacePerSecond!,
    objectsPerNode: config.count / nodes.length,
  };
});
