/**
 * The watch case with a controller on the informer: every event goes through the controller's handler
 * into its work queue, and a worker reconciles the key (reading the store). Timed until the last event
 * was applied and the queue drained, so the cost per event includes the controller's whole loop.
 */
import { createController } from '@kubeinformers/core';
import { runCase } from '../case-support.js';
import { createPodInformer } from '../kubeinformers-pods.js';
import { measureWatch } from '../watch-measurement.js';

runCase((config) => {
  const pods = createPodInformer(config);
  const stop = new AbortController();
  let reconciled = 0;
  const controller = createController({
    primary: pods.informer,
    reconcile: (key) => {
      if (pods.informer.store.getByKey(key) !== undefined) reconciled++;
    },
  });
  const running = controller.run(stop.signal);
  return measureWatch(config, {
    onUpdate: (callback) => {
      pods.informer.addEventHandler({ onUpdate: callback });
    },
    sync: () => pods.sync(),
    settle: async () => {
      while (controller.queue.length > 0 || controller.queue.unfinishedWork().inProgress > 0) {
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    stop: async () => {
      stop.abort();
      await running;
      await pods.stop();
      if (reconciled === 0) throw new Error('the controller reconciled nothing');
      if (pods.errors.length > 0) throw new Error(`informer reported: ${String(pods.errors[0])}`);
    },
  });
});
