/** Initial sync of a kubeinformers pods informer (core + adapter over HTTP). */
import { runCase } from '../case-support.js';
import { createPodInformer } from '../kubeinformers-pods.js';
import { measureSync } from '../sync-measurement.js';

runCase((config) =>
  measureSync(config, () => {
    const pods = createPodInformer(config);
    return {
      sync: () => pods.sync(),
      size: () => pods.informer.store.size,
      stop: async () => {
        await pods.stop();
        if (pods.errors.length > 0) throw new Error(`informer reported: ${String(pods.errors[0])}`);
      },
    };
  }),
);
