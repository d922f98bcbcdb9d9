import { type HrTime, ValueType } from '@opentelemetry/api';
import { emptyResource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  type CollectionResult,
  DataPointType,
  type HistogramMetricData,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import { BucketedSeries } from '../bucketed-series.js';
import type { WorkQueueHistogramName, WorkQueueHistogramSource } from '../kube-informers-metrics.js';
import { meterName, metricDescriptions, workQueueBucketsSeconds } from '../metric-names.js';

/**
 * `workqueue_queue_duration_seconds` and `workqueue_work_duration_seconds` aggregated where they are
 * recorded, and exported by every metric reader that lists this object in its `metricProducers`: the
 * same names, unit, description, client-go buckets and `name` label as the meter's histograms, with
 * cumulative temporality (what Prometheus reads; a reader that prefers delta gets cumulative points).
 * Pass it to `createKubeInformersMetrics({ workQueueHistograms })` as well.
 * @example
 * const workQueueHistograms = new WorkQueueHistograms();
 * const exporter = new PrometheusExporter({ metricProducers: [workQueueHistograms] });
 * const meterProvider = new MeterProvider({ readers: [exporter] });
 * const metrics = createKubeInformersMetrics({ meterProvider, workQueueHistograms });
 */
export class WorkQueueHistograms implements MetricProducer, WorkQueueHistogramSource {
  readonly #series = new Map<WorkQueueHistogramName, Map<string, BucketedSeries>>();

  series(metric: WorkQueueHistogramName, queueName: string): BucketedSeries {
    let byQueue = this.#series.get(metric);
    if (byQueue === undefined) {
      byQueue = new Map();
      this.#series.set(metric, byQueue);
    }
    let series = byQueue.get(queueName);
    if (series === undefined) {
      series = new BucketedSeries(workQueueBucketsSeconds);
      byQueue.set(queueName, series);
    }
    return series;
  }

  /** The histograms as they stand (cumulative since each series' first value); called by the readers. */
  async collect(): Promise<CollectionResult> {
    const endTime = hrTime(Date.now());
    const metrics: HistogramMetricData[] = [];
    for (const [metric, byQueue] of this.#series) {
      const description = metricDescriptions.find((candidate) => candidate.name === metric);
      // As the SDK does: a series appears once it has a value, a metric once it has a series.
      const recorded = [...byQueue].filter(([, series]) => series.count > 0);
      if (description === undefined || recorded.length === 0) continue;
      metrics.push({
        descriptor: {
          name: metric,
          description: description.description,
          unit: description.unit,
          valueType: ValueType.DOUBLE,
        },
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.HISTOGRAM,
        dataPoints: recorded.map(([name, series]) => ({
          startTime: hrTime(series.startedAtMs),
          endTime,
          attributes: { name },
          value: {
            buckets: { boundaries: [...series.boundaries], counts: [...series.counts] },
            sum: series.sum,
            count: series.count,
            min: series.min,
            max: series.max,
          },
        })),
      });
    }
    return {
      // The reader keeps its SDK's resource and takes only the scope metrics of a producer.
      resourceMetrics: {
        resource: emptyResource(),
        scopeMetrics: metrics.length === 0 ? [] : [{ scope: { name: meterName, version: '' }, metrics }],
      },
      errors: [],
    };
  }
}

function hrTime(epochMs: number): HrTime {
  const seconds = Math.floor(epochMs / 1000);
  return [seconds, Math.round((epochMs - seconds * 1000) * 1e6)];
}
