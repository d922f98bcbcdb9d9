import { createKubeInformersMetrics } from '@kubeinformers/opentelemetry';
import { WorkQueueHistograms } from '@kubeinformers/opentelemetry/sdk';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

/**
 * kubeinformers' metrics as the package's README wires them: the OpenTelemetry SDK with its Prometheus
 * exporter, the work queue histograms aggregated in place (`WorkQueueHistograms`, a metric producer of the
 * exporter). The exporter does not serve: `scrape` renders the exposition a Prometheus scrape would get,
 * so its cost is counted.
 */
export function createBenchMetrics() {
  const workQueueHistograms = new WorkQueueHistograms();
  const exporter = new PrometheusExporter({
    preventServerStart: true,
    metricProducers: [workQueueHistograms],
  });
  const meterProvider = new MeterProvider({ readers: [exporter] });
  return {
    metrics: createKubeInformersMetrics({ meterProvider, workQueueHistograms }),
    /** One collection, as a scrape triggers it; resolves with the number of metrics exported. */
    async scrape(): Promise<number> {
      const { resourceMetrics } = await exporter.collect();
      return resourceMetrics.scopeMetrics.reduce((sum, scope) => sum + scope.metrics.length, 0);
    },
    shutdown: () => meterProvider.shutdown(),
  };
}
