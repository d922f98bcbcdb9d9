/** One metric this package records, as a Prometheus scrape shows it. */
export interface MetricDescription {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  /** The OpenTelemetry unit (UCUM): `s` for seconds; empty for counts, as client-go's have none. */
  readonly unit: string;
  /** Attribute (Prometheus label) names besides `name`. */
  readonly labels: readonly string[];
  readonly description: string;
}

/** The instrumentation scope of every metric here. */
export const meterName = '@kubeinformers/opentelemetry';

// client-go's exponential buckets for work queue latencies: 10 ns × 10^n, n = 0…9 (k8s.io/component-base
// metrics/prometheus/workqueue), in seconds.
export const workQueueBucketsSeconds: readonly number[] = Array.from(
  { length: 10 },
  (_, n) => 1e-8 * 10 ** n,
);
// List and watch durations: 10 ms to ~5 min.
export const listWatchBucketsSeconds: readonly number[] = [
  0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
];
// Objects per list.
export const listSizeBuckets: readonly number[] = [0, 1, 10, 100, 500, 1000, 5000, 10000, 50000, 100000];

/**
 * Every metric, with client-go's names and units for the work queue (so existing dashboards and alerts
 * work) and the names of client-go's former reflector metrics where it had one. Every series carries
 * the attribute `name`: the queue's name, or the informer's (`pods`, `pods in shop (app=web)`).
 */
export const metricDescriptions: readonly MetricDescription[] = Object.freeze([
  {
    name: 'workqueue_depth',
    type: 'gauge',
    unit: '',
    labels: [],
    description: 'Current depth of the work queue.',
  },
  {
    name: 'workqueue_adds_total',
    type: 'counter',
    unit: '',
    labels: [],
    description: 'Total number of adds handled by the work queue.',
  },
  {
    name: 'workqueue_queue_duration_seconds',
    type: 'histogram',
    unit: 's',
    labels: [],
    description: 'How long in seconds an item stays in the work queue before being requested.',
  },
  {
    name: 'workqueue_work_duration_seconds',
    type: 'histogram',
    unit: 's',
    labels: [],
    description: 'How long in seconds processing an item from the work queue takes.',
  },
  {
    name: 'workqueue_retries_total',
    type: 'counter',
    unit: '',
    labels: [],
    description: 'Total number of retries handled by the work queue.',
  },
  {
    name: 'workqueue_unfinished_work_seconds',
    type: 'gauge',
    unit: 's',
    labels: [],
    description:
      'How many seconds of work has been done that is in progress and has not been observed by work_duration. Large values indicate stuck threads.',
  },
  {
    name: 'workqueue_longest_running_processor_seconds',
    type: 'gauge',
    unit: 's',
    labels: [],
    description: 'How many seconds has the longest running processor for the work queue been running.',
  },
  {
    name: 'reflector_lists_total',
    type: 'counter',
    unit: '',
    labels: ['relist'],
    description: 'Total number of completed lists (snapshots), the first one and relists.',
  },
  {
    name: 'reflector_list_duration_seconds',
    type: 'histogram',
    unit: 's',
    labels: [],
    description: 'How long in seconds a complete list (all pages) took.',
  },
  {
    name: 'reflector_items_per_list',
    type: 'histogram',
    unit: '',
    labels: [],
    description: 'How many objects a complete list held.',
  },
  {
    name: 'reflector_watches_total',
    type: 'counter',
    unit: '',
    labels: [],
    description: 'Total number of watch connections established.',
  },
  {
    name: 'reflector_watch_ends_total',
    type: 'counter',
    unit: '',
    labels: ['reason'],
    description:
      'Watch connections that ended, by reason: closed, stopped or the error code (KI_WATCH_EXPIRED…).',
  },
  {
    name: 'reflector_watch_duration_seconds',
    type: 'histogram',
    unit: 's',
    labels: [],
    description: 'How long in seconds a watch connection lasted.',
  },
  {
    name: 'reflector_watch_events_total',
    type: 'counter',
    unit: '',
    labels: ['type'],
    description: 'Watch events received, by type (ADDED, MODIFIED, DELETED, BOOKMARK).',
  },
  {
    name: 'reflector_backoff_seconds',
    type: 'histogram',
    unit: 's',
    labels: [],
    description: 'How long in seconds the list/watch loop waited after a failure.',
  },
  {
    name: 'informer_store_objects',
    type: 'gauge',
    unit: '',
    labels: [],
    description: 'Objects in the informer cache.',
  },
  {
    name: 'informer_synced',
    type: 'gauge',
    unit: '',
    labels: [],
    description: '1 once the informer cache synced, else 0.',
  },
  {
    name: 'informer_phase',
    type: 'gauge',
    unit: '',
    labels: ['phase'],
    description:
      '1 for the phase the informer loop is in (listing, watching, backingOff, stopped), 0 for the others.',
  },
  {
    name: 'informer_consecutive_failures',
    type: 'gauge',
    unit: '',
    labels: [],
    description: 'Failures of the list/watch loop since it last made progress.',
  },
  {
    name: 'informer_seconds_since_last_activity',
    type: 'gauge',
    unit: 's',
    labels: [],
    description:
      'Seconds since the informer last heard from the server (an event, a bookmark or a list); absent before the first.',
  },
] satisfies MetricDescription[]);
