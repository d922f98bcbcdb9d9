export type {
  KubeInformersMetrics,
  KubeInformersMetricsOptions,
  ObservedInformer,
  ObservedWorkQueue,
  WorkQueueHistogramName,
  WorkQueueHistogramSource,
} from './kube-informers-metrics.js';
export { createKubeInformersMetrics } from './kube-informers-metrics.js';
export type { MetricDescription } from './metric-names.js';
export { metricDescriptions } from './metric-names.js';
