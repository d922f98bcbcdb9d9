import { createKubeInformersMetrics } from '@kubeinformers/opentelemetry';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

/**
 * kubeinformers' metrics as an application runs them: the OpenTelemetry SDK with its Prometheus exporter
 * (not serving: `scrape` renders the exposition a Prometheus scrape would get, so its cost is counted).
 */
export function createBenchMetrics() {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const meterProvider = new MeterProvider({ readers: [exporter] });
  return {
    metrics: createKubeInformersMetrics({ meterProvider }),
    /** One collection, as a scrape triggers it; resolves with the number of metrics exported. */
    async scrape(): Promise<number> {
      const { resourceMetrics } = await exporter.collect();
      return resourceMetrics.scopeMetrics.reduce((sum, scope) => sum + scope.metrics.length, 0);
    },
    shutdown: () => meterProvider.shutdown(),
  };
}
