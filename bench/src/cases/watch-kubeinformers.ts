/** Watch throughput of a kubeinformers pods informer (core + adapter over HTTP). */
import { runCase } from '../case-support.js';
import { createPodInformer } from '../kubeinformers-pods.js';
import { measureWatch } from '../watch-measurement.js';

runCase((config) => {
  const pods = createPodInformer(config);
  return measureWatch(config, {
    onUpdate: (callback) => {
      pods.informer.addEventHandler({ onUpdate: callback });
    },
    sync: () => pods.sync(),
    stop: async () => {
      await pods.stop();
      if (pods.errors.length > 0) throw new Error(`informer reported: ${String(pods.errors[0])}`);
    },
  });
});
