/** add + get + done cycles through core's `WorkQueue` with its metrics on the OpenTelemetry SDK. */
import { WorkQueue } from '@kubeinformers/core';
import { runCase } from '../case-support.js';
import { createBenchMetrics } from '../otel-metrics.js';
import { measureQueue } from '../queue-measurement.js';

runCase(async () => {
  const { metrics, scrape, shutdown } = createBenchMetrics();
  let queues = 0;
  const result = await measureQueue(() => {
    const name = `bench-${queues++}`;
    const queue = new WorkQueue<string>({ name, metrics: metrics.workQueue(name) });
    metrics.observeWorkQueue(queue);
    return queue;
  });
  if ((await scrape()) === 0) throw new Error('the SDK exported no metric: the hooks were not recording');
  await shutdown();
  return result;
});
