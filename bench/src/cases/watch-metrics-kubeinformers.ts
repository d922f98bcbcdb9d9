/**
 * Watch throughput of a kubeinformers pods informer with `@kubeinformers/opentelemetry` recording its
 * reflector metrics on the OpenTelemetry SDK (Prometheus exporter), scraped at the end.
 */
import { runCase } from '../case-support.js';
import { createPodInformer } from '../kubeinformers-pods.js';
import { createBenchMetrics } from '../otel-metrics.js';
import { measureWatch } from '../watch-measurement.js';

runCase((config) => {
  const { metrics, scrape, shutdown } = createBenchMetrics();
  const pods = createPodInformer(config, { reflectorMetrics: metrics.reflectorMetrics });
  metrics.observeInformer('pods', pods.informer);
  return measureWatch(config, {
    onUpdate: (callback) => {
      pods.informer.addEventHandler({ onUpdate: callback });
    },
    sync: () => pods.sync(),
    // One scrape inside the measured time, as Prometheus would take during the burst.
    settle: async () => {
      if ((await scrape()) === 0) throw new Error('the SDK exported no metric: the hooks were not recording');
    },
    stop: async () => {
      await pods.stop();
      await shutdown();
      if (pods.errors.length > 0) throw new Error(`informer reported: ${String(pods.errors[0])}`);
    },
  });
});
