/** `get(name, namespace)` and `list(namespace)` rates on a synced `@kubernetes/client-node` informer. */
import { runCase } from '../case-support.js';
import { createClientNodePodInformer } from '../client-node-pods.js';
import { measureLookups } from '../lookup-measurement.js';

runCase(async (config) => {
  const pods = createClientNodePodInformer(config);
  await pods.sync();
  await pods.stop();
  const all = pods.informer.list();
  if (all.length !== config.count) throw new Error(`expected ${config.count} pods, got ${all.length}`);
  const keys = all.map((pod) => [pod.metadata?.name ?? '', pod.metadata?.namespace ?? ''] as const);
  return measureLookups({
    keys,
    namespaces: [...new Set(all.map((pod) => pod.metadata?.namespace ?? ''))],
    // Its keyed read takes name and namespace.
    getByKey: ([name, namespace]) => pods.informer.get(name, namespace),
    byNamespace: (namespace) => pods.informer.list(namespace),
  });
});
