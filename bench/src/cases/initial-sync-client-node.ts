/** Initial sync of `@kubernetes/client-node`'s `makeInformer` for pods. */
import { runCase } from '../case-support.js';
import { createClientNodePodInformer } from '../client-node-pods.js';
import { measureSync } from '../sync-measurement.js';

runCase((config) =>
  measureSync(config, () => {
    const pods = createClientNodePodInformer(config);
    return {
      sync: () => pods.sync(),
      size: () => pods.informer.list().length,
      stop: async () => {
        await pods.stop();
        if (pods.errors.length > 0) throw new Error(`informer reported: ${String(pods.errors[0])}`);
      },
    };
  }),
);
