/** Watch throughput of `@kubernetes/client-node`'s `makeInformer` for pods. */
import { runCase } from '../case-support.js';
import { createClientNodePodInformer } from '../client-node-pods.js';
import { measureWatch } from '../watch-measurement.js';

runCase((config) => {
  const pods = createClientNodePodInformer(config);
  return measureWatch(config, {
    onUpdate: (callback) => pods.informer.on('update', callback),
    sync: () => pods.sync(),
    stop: async () => {
      await pods.stop();
      if (pods.errors.length > 0) throw new Error(`informer reported: ${String(pods.errors[0])}`);
    },
  });
});
