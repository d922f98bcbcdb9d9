import type {
  InformerHealth,
  InformerPhase,
  ReflectorMetrics,
  UnfinishedWork,
  WorkQueueMetrics,
} from '@kubeinformers/core';
import { type MeterProvider, metrics as metricsApi } from '@opentelemetry/api';
import {
  listSizeBuckets,
  listWatchBucketsSeconds,
  meterName,
  metricDescriptions,
  workQueueBucketsSeconds,
} from './metric-names.js';

/** What `observeWorkQueue` reads from a queue (a core `WorkQueue` is one). */
export interface ObservedWorkQueue {
  readonly name: string;
  unfinishedWork(): UnfinishedWork;
}

/** What `observeInformer` reads from an informer (a core `SharedInformer` is one). */
export interface ObservedInformer {
  readonly store: { readonly size: number };
  health(): InformerHealth;
  readonly clock: { now(): number };
}

export interface KubeInformersMetricsOptions {
  /**
   * Where the instruments come from; default: the global `MeterProvider` of `@opentelemetry/api`. The
   * metrics API has no proxy provider: register the SDK before calling `createKubeInformersMetrics`,
   * or pass the SDK's provider here.
   */
  readonly meterProvider?: MeterProvider;
  /**
   * Aggregates `workqueue_queue_duration_seconds` and `workqueue_work_duration_seconds` in place instead of
   * through the meter, so a queue cycle costs a few additions instead of two `Histogram.record` calls
   * (which hash their attributes on every call). Pass a `WorkQueueHistograms` of
   * `@kubeinformers/opentelemetry/sdk`, and the same object in the `metricProducers` of every metric
   * reader (the Prometheus exporter takes them too): the reader exports the two histograms with the same
   * names, units, buckets and labels. Default: the meter's histograms.
   */
  readonly workQueueHistograms?: WorkQueueHistogramSource;
}

/** The two work queue histograms `WorkQueueHistogramSource` can aggregate. */
export type WorkQueueHistogramName = 'workqueue_queue_duration_seconds' | 'workqueue_work_duration_seconds';

/** Histogram series aggregated in place; `WorkQueueHistograms` of `@kubeinformers/opentelemetry/sdk` is one. */
export interface WorkQueueHistogramSource {
  /** The series of `metric` for the queue named `queueName`: the same one for the same pair. */
  series(metric: WorkQueueHistogramName, queueName: string): { record(seconds: number): void };
}

/**
 * kubeinformers' metrics on OpenTelemetry: hooks to pass to work queues (`createController({ metrics })`)
 * and informer factories (`reflectorMetrics`), and gauges read at collection time from queues and
 * informers you register. Costs nothing measurable while no SDK is registered (every instrument is the
 * API's no-op). See `metricDescriptions` for every name, type, unit and label.
 */
export interface KubeInformersMetrics {
  /**
   * Work queue hooks recording client-go's `workqueue_*` metrics with the attribute `name`. Pass them
   * as `createController({ metrics })` or `new WorkQueue({ metrics })`, then `observeWorkQueue(queue)`
   * for the two gauges client-go reads on demand.
   */
  workQueue(name: string): WorkQueueMetrics<unknown>;
  /** Reports `workqueue_unfinished_work_seconds` and `workqueue_longest_running_processor_seconds`; returns the remover. */
  observeWorkQueue(queue: ObservedWorkQueue): () => void;
  /** For `createInformerFactory(transport, { reflectorMetrics })`: the `reflector_*` metrics, named by informer. Bound. */
  readonly reflectorMetrics: (informerName: string) => ReflectorMetrics;
  /** Reports the `informer_*` gauges of `informer` under `name`; returns the remover. */
  observeInformer(name: string, informer: ObservedInformer): () => void;
}

const phases: readonly InformerPhase[] = ['listing', 'watching', 'backingOff', 'stopped'];

/** Creates the instruments on a meter of `meterProvider` (see `KubeInformersMetrics`). */
export function createKubeInformersMetrics(options: KubeInformersMetricsOptions = {}): KubeInformersMetrics {
  const meter = (options.meterProvider ?? metricsApi.getMeterProvider()).getMeter(meterName);
  const depths = new Map<string, number>();
  const queues = new Set<ObservedWorkQueue>();
  const informers = new Map<ObservedInformer, string>();

  meter.createObservableGauge(...instrumentOptions('workqueue_depth')).addCallback((result) => {
    for (const [name, depth] of depths) result.observe(depth, { name });
  });
  const unfinished = meter.createObservableGauge(...instrumentOptions('workqueue_unfinished_work_seconds'));
  const longest = meter.createObservableGauge(
    ...instrumentOptions('workqueue_longest_running_processor_seconds'),
  );
  meter.addBatchObservableCallback(
    (result) => {
      for (const queue of queues) {
        const work = queue.unfinishedWork();
        result.observe(unfinished, work.unfinishedMs / 1000, { name: queue.name });
        result.observe(longest, work.longestRunningMs / 1000, { name: queue.name });
      }
    },
    [unfinished, longest],
  );
  const storeObjects = meter.createObservableGauge(...instrumentOptions('informer_store_objects'));
  const synced = meter.createObservableGauge(...instrumentOptions('informer_synced'));
  const phase = meter.createObservableGauge(...instrumentOptions('informer_phase'));
  const failures = meter.createObservableGauge(...instrumentOptions('informer_consecutive_failures'));
  const sinceActivity = meter.createObservableGauge(
    ...instrumentOptions('informer_seconds_since_last_activity'),
  );
  meter.addBatchObservableCallback(
    (result) => {
      for (const [informer, name] of informers) {
        const health = informer.health();
        result.observe(storeObjects, informer.store.size, { name });
        result.observe(synced, health.synced ? 1 : 0, { name });
        for (const candidate of phases) {
          result.observe(phase, health.phase === candidate ? 1 : 0, { name, phase: candidate });
        }
        result.observe(failures, health.consecutiveFailures, { name });
        if (health.lastActivityAt !== undefined) {
          result.observe(sinceActivity, (informer.clock.now() - health.lastActivityAt) / 1000, { name });
        }
      }
    },
    [storeObjects, synced, phase, failures, sinceActivity],
  );

  // The counters of the hot paths (an add per queue cycle, an event per watch line) count in plain
  // numbers and are read at collection: the SDK's `add` hashes its attributes on every call (~0.3 µs),
  // a number increment costs nothing measurable.
  const queueCounts = new Map<string, { adds: number; retries: number }>();
  const eventCounts = new Map<string, Record<'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK', number>>();
  const adds = meter.createObservableCounter(...instrumentOptions('workqueue_adds_total'));
  const retries = meter.createObservableCounter(...instrumentOptions('workqueue_retries_total'));
  const watchEvents = meter.createObservableCounter(...instrumentOptions('reflector_watch_events_total'));
  meter.addBatchObservableCallback(
    (result) => {
      for (const [name, counts] of queueCounts) {
        result.observe(adds, counts.adds, { name });
        result.observe(retries, counts.retries, { name });
      }
      for (const [name, counts] of eventCounts) {
        for (const [type, count] of Object.entries(counts)) {
          if (count > 0) result.observe(watchEvents, count, { name, type });
        }
      }
    },
    [adds, retries, watchEvents],
  );
  const preAggregated = options.workQueueHistograms;
  // Not on the meter as well when aggregated in place: the reader would export the names twice.
  const meterHistograms =
    preAggregated === undefined
      ? new Map(
          (['workqueue_queue_duration_seconds', 'workqueue_work_duration_seconds'] as const).map((metric) => [
            metric,
            meter.createHistogram(...instrumentOptions(metric, workQueueBucketsSeconds)),
          ]),
        )
      : undefined;
  const durationRecorder = (metric: WorkQueueHistogramName, name: string): ((seconds: number) => void) => {
    const histogram = meterHistograms?.get(metric);
    if (histogram === undefined) {
      const series = (preAggregated as WorkQueueHistogramSource).series(metric, name);
      return (seconds) => series.record(seconds);
    }
    // One attributes object per queue: the SDK looks attribute sets up by content, so no allocation per call.
    const attributes = { name };
    return (seconds) => histogram.record(seconds, attributes);
  };
  const lists = meter.createCounter(...instrumentOptions('reflector_lists_total'));
  const listDuration = meter.createHistogram(
    ...instrumentOptions('reflector_list_duration_seconds', listWatchBucketsSeconds),
  );
  const listSize = meter.createHistogram(...instrumentOptions('reflector_items_per_list', listSizeBuckets));
  const watches = meter.createCounter(...instrumentOptions('reflector_watches_total'));
  const watchEnds = meter.createCounter(...instrumentOptions('reflector_watch_ends_total'));
  const watchDuration = meter.createHistogram(
    ...instrumentOptions('reflector_watch_duration_seconds', listWatchBucketsSeconds),
  );
  const backoff = meter.createHistogram(
    ...instrumentOptions('reflector_backoff_seconds', listWatchBucketsSeconds),
  );

  return {
    workQueue(name) {
      depths.set(name, 0);
      let counts = queueCounts.get(name);
      if (counts === undefined) {
        counts = { adds: 0, retries: 0 };
        queueCounts.set(name, counts);
      }
      const queueCount = counts;
      const queued = durationRecorder('workqueue_queue_duration_seconds', name);
      const worked = durationRecorder('workqueue_work_duration_seconds', name);
      return {
        depth: (depth) => {
          depths.set(name, depth);
        },
        added: () => {
          queueCount.adds += 1;
        },
        retried: () => {
          queueCount.retries += 1;
        },
        queueLatency: (_, latencyMs) => queued(latencyMs / 1000),
        workDuration: (_, durationMs) => worked(durationMs / 1000),
      };
    },
    observeWorkQueue(queue) {
      queues.add(queue);
      return () => {
        queues.delete(queue);
      };
    },
    reflectorMetrics: (name) => {
      const attributes = { name };
      let counts = eventCounts.get(name);
      if (counts === undefined) {
        counts = { ADDED: 0, MODIFIED: 0, DELETED: 0, BOOKMARK: 0 };
        eventCounts.set(name, counts);
      }
      const eventCount = counts;
      const initial = { name, relist: 'false' };
      const relist = { name, relist: 'true' };
      return {
        listed: (objects, durationMs, isRelist) => {
          lists.add(1, isRelist ? relist : initial);
          listDuration.record(durationMs / 1000, attributes);
          listSize.record(objects, attributes);
        },
        watchOpened: () => watches.add(1, attributes),
        watchEnded: (reason, durationMs) => {
          watchEnds.add(1, { name, reason });
          watchDuration.record(durationMs / 1000, attributes);
        },
        watchEvent: (type) => {
          eventCount[type] += 1;
        },
        backoff: (delayMs) => backoff.record(delayMs / 1000, attributes),
      };
    },
    observeInformer(name, informer) {
      informers.set(informer, name);
      return () => {
        informers.delete(informer);
      };
    },
  };
}

/** Instrument options from `metricDescriptions`, so the names and units live in one place. */
function instrumentOptions(
  name: string,
  buckets?: readonly number[],
): [string, { description: string; unit: string; advice?: { explicitBucketBoundaries: number[] } }] {
  const description = metricDescriptions.find((metric) => metric.name === name);
  if (description === undefined) throw new Error(`undocumented metric ${name}`);
  return [
    name,
    {
      description: description.description,
      unit: description.unit,
      ...(buckets === undefined ? {} : { advice: { explicitBucketBoundaries: [...buckets] } }),
    },
  ];
}
