import { WorkQueue } from '@kubeinformers/core';
import { expect, it } from 'vitest';
import * as opentelemetry from './index.js';
import * as sdk from './sdk/index.js';

it('pins the public surface', () => {
  expect(Object.keys(opentelemetry).sort()).toEqual(['createKubeInformersMetrics', 'metricDescriptions']);
  expect(Object.keys(sdk)).toEqual(['WorkQueueHistograms']);
});

it('is a no-op without an SDK: the hooks run and record nothing, observing costs nothing', async () => {
  const metrics = opentelemetry.createKubeInformersMetrics();
  const queue = new WorkQueue<string>({ name: 'quiet', metrics: metrics.workQueue('quiet') });
  const remove = metrics.observeWorkQueue(queue);
  queue.add('a');
  queue.done(await queue.get());
  const hooks = metrics.reflectorMetrics('pods');
  hooks.listed?.(1, 2, false);
  hooks.watchEnded?.('closed', 3);
  remove();
  queue.shutDown();
});

it('documents client-go’s work queue names, types and units', () => {
  const byName = new Map(opentelemetry.metricDescriptions.map((metric) => [metric.name, metric]));
  expect(
    [
      'workqueue_depth',
      'workqueue_adds_total',
      'workqueue_queue_duration_seconds',
      'workqueue_work_duration_seconds',
      'workqueue_retries_total',
      'workqueue_unfinished_work_seconds',
      'workqueue_longest_running_processor_seconds',
    ].map((name) => [name, byName.get(name)?.type, byName.get(name)?.unit]),
  ).toEqual([
    ['workqueue_depth', 'gauge', ''],
    ['workqueue_adds_total', 'counter', ''],
    ['workqueue_queue_duration_seconds', 'histogram', 's'],
    ['workqueue_work_duration_seconds', 'histogram', 's'],
    ['workqueue_retries_total', 'counter', ''],
    ['workqueue_unfinished_work_seconds', 'gauge', 's'],
    ['workqueue_longest_running_processor_seconds', 'gauge', 's'],
  ]);
});
