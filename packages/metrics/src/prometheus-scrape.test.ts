import { createInformerFactory, ManualClock, WorkQueue } from '@kubeinformers/core';
import { kubeConfigTransport, pods } from '@kubeinformers/k8s-client-adapter';
import { FakeApiServer } from '@kubeinformers/testing';
import { KubeConfig } from '@kubernetes/client-node';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterEach, expect, it, vi } from 'vitest';
import { createKubeInformersMetrics } from './kube-informers-metrics.js';
import { metricDescriptions, workQueueBucketsSeconds } from './metric-names.js';
import { WorkQueueHistograms } from './sdk/work-queue-histograms.js';
import { parseExposition, scrape } from './test-support/prometheus-exposition.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

it.each([
  ['the meter’s histograms', false],
  ['work queue histograms aggregated in place (WorkQueueHistograms)', true],
])(
  'a Prometheus scrape through the OpenTelemetry SDK holds every documented metric with its type: %s',
  async (_, inPlace) => {
    const workQueueHistograms = inPlace ? new WorkQueueHistograms() : undefined;
    const exporter = new PrometheusExporter({
      preventServerStart: true,
      ...(workQueueHistograms === undefined ? {} : { metricProducers: [workQueueHistograms] }),
    });
    const meterProvider = new MeterProvider({ readers: [exporter] });
    cleanups.push(() => meterProvider.shutdown());
    const metrics = createKubeInformersMetrics({
      meterProvider,
      ...(workQueueHistograms === undefined ? {} : { workQueueHistograms }),
    });

    // A work queue through a cycle, a retry, and an item still in progress.
    const clock = new ManualClock();
    const queue = new WorkQueue<string>({ name: 'demo', clock, metrics: metrics.workQueue('demo') });
    metrics.observeWorkQueue(queue);
    queue.add('a');
    queue.add('b');
    clock.advance(5);
    const first = await queue.get();
    clock.advance(2);
    queue.addRateLimited(first);
    queue.done(first);
    await queue.get();
    clock.advance(1500);

    // An informer whose first watch fails (a backoff), that sees an event, and whose watch is closed.
    const server = await FakeApiServer.start({});
    cleanups.push(() => server.close());
    server.store.create('pods', {
      metadata: { name: 'p1', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'i' }] },
    });
    server.faults.failNextRequests({ verb: 'watch', status: 503 });
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(server.kubeconfig());
    const stop = new AbortController();
    cleanups.push(() => stop.abort());
    const informerClock = new ManualClock();
    const factory = createInformerFactory(kubeConfigTransport(kubeConfig, { signal: stop.signal }), {
      clock: informerClock,
      onError: () => {},
      reflectorMetrics: metrics.reflectorMetrics,
    });
    const informer = factory.informerFor(pods);
    metrics.observeInformer('pods', informer);
    factory.start(stop.signal);
    await vi.waitFor(
      () => {
        informerClock.advance(1000); // past the backoff
        expect(informer.health().phase).toBe('watching');
        expect(server.watches.size).toBeGreaterThan(0);
      },
      { timeout: 10_000, interval: 20 },
    );
    server.store.create('pods', {
      metadata: { name: 'p2', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'i' }] },
    });
    await vi.waitFor(() => expect(informer.store.size).toBe(2), { timeout: 10_000, interval: 20 });
    server.faults.closeWatches();
    await vi.waitFor(
      () => {
        informerClock.advance(1000);
        expect(server.watches.size).toBeGreaterThan(0);
      },
      { timeout: 10_000, interval: 20 },
    );

    // The scrape, over HTTP as Prometheus does it.
    const { types, samples } = parseExposition(await scrape(exporter));

    for (const metric of metricDescriptions) {
      expect(types.get(metric.name), metric.name).toBe(metric.type);
      const series = samples.filter((sample) =>
        metric.type === 'histogram' ? sample.name === `${metric.name}_count` : sample.name === metric.name,
      );
      expect(series.length, `${metric.name} has samples`).toBeGreaterThan(0);
      for (const sample of series) {
        for (const label of ['name', ...metric.labels])
          expect(sample.labels[label], `${metric.name} ${label}`).toBeDefined();
      }
    }
    const value = (name: string, labels: Record<string, string>) =>
      samples.find(
        (sample) =>
          sample.name === name &&
          Object.entries(labels).every(([key, wanted]) => sample.labels[key] === wanted),
      )?.value;
    // Two adds, and the retry's delayed add once its 5 ms ran out (client-go counts that too).
    expect(value('workqueue_adds_total', { name: 'demo' })).toBe(3);
    expect(value('workqueue_retries_total', { name: 'demo' })).toBe(1);
    expect(value('workqueue_depth', { name: 'demo' })).toBe(1);
    expect(value('workqueue_queue_duration_seconds_count', { name: 'demo' })).toBe(2);
    expect(value('workqueue_work_duration_seconds_count', { name: 'demo' })).toBe(1);
    expect(value('workqueue_queue_duration_seconds_sum', { name: 'demo' })).toBeCloseTo(0.012, 12);
    expect(value('workqueue_work_duration_seconds_sum', { name: 'demo' })).toBeCloseTo(0.002, 12);
    // client-go's buckets, cumulative: both waits (5 ms and 7 ms) are above 1 ms and within 10 ms.
    const queueBuckets = samples.filter(
      (sample) => sample.name === 'workqueue_queue_duration_seconds_bucket' && sample.labels.name === 'demo',
    );
    expect(queueBuckets.map((sample) => sample.labels.le)).toEqual([
      ...workQueueBucketsSeconds.map(String),
      '+Inf',
    ]);
    expect(queueBuckets.map((sample) => sample.value)).toEqual([0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2]);
    expect(value('workqueue_longest_running_processor_seconds', { name: 'demo' })).toBe(1.5);
    expect(value('reflector_lists_total', { name: 'pods', relist: 'false' })).toBe(1);
    expect(value('reflector_items_per_list_sum', { name: 'pods' })).toBe(1);
    expect(value('reflector_watch_events_total', { name: 'pods', type: 'ADDED' })).toBe(1);
    expect(value('reflector_watch_ends_total', { name: 'pods', reason: 'closed' })).toBe(1);
    expect(value('reflector_backoff_seconds_count', { name: 'pods' })).toBeGreaterThanOrEqual(1);
    expect(value('informer_store_objects', { name: 'pods' })).toBe(2);
    expect(value('informer_synced', { name: 'pods' })).toBe(1);
    expect(value('informer_phase', { name: 'pods', phase: 'watching' })).toBe(1);
    expect(value('informer_phase', { name: 'pods', phase: 'stopped' })).toBe(0);
  },
);
