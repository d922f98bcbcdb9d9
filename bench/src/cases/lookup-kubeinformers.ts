/** `getByKey` and `byIndex` rates on a synced kubeinformers pods store. */
import { namespaceIndex } from '@kubeinformers/core';
import { runCase } from '../case-support.js';
import { createPodInformer } from '../kubeinformers-pods.js';
import { measureLookups } from '../lookup-measurement.js';

runCase(async (config) => {
  const pods = createPodInformer(config);
  await pods.sync();
  await pods.stop();
  const store = pods.informer.store;
  if (store.size !== config.count) throw new Error(`expected ${config.count} pods, got ${store.size}`);
  const nodes = store.listIndexValues('byNode');
  const metrics = measureLookups({
    keys: store.listKeys(),
    namespaces: store.listIndexValues(namespaceIndex),
    getByKey: (key) => store.getByKey(key),
    byNamespace: (namespace) => store.byIndex(namespaceIndex, namespace),
  });
  // A custom index as well (the pods-by-node index of the README), which the official client lacks.
  const byNode = measureLookups({
    keys: store.listKeys(),
    namespaces: nodes,
    getByKey: (key) => store.getByKey(key),
    byNamespace: (node) => store.byIndex('byNode', node),
  });
  return {
    ...metrics,
    byNodePerSecond: byNode.byNamespacePerSecond!,
    objectsPerNode: config.count / nodes.length,
  };
});
