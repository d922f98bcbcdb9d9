import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createKubeInformersMetrics, type KubeInformersMetrics } from '@kubeinformers/opentelemetry';
import { WorkQueueHistograms } from '@kubeinformers/opentelemetry/sdk';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

export interface MetricsEndpoint {
  readonly metrics: KubeInformersMetrics;
  /** `http://127.0.0.1:<port>/metrics` */
  readonly url: string;
  /** Closes the server and the SDK; idempotent. */
  close(): Promise<void>;
}

/**
 * The demo's `/metrics`: the OpenTelemetry SDK with its Prometheus exporter, served on loopback at `port`
 * (0: any free port). The exporter's own server is not started: ours binds to loopback only and closes
 * with the demo, so the process can exit.
 */
export async function startMetricsEndpoint(port: number): Promise<MetricsEndpoint> {
  // The work queue histograms are aggregated in place and collected by the exporter (see the package's README).
  const workQueueHistograms = new WorkQueueHistograms();
  const exporter = new PrometheusExporter({
    preventServerStart: true,
    metricProducers: [workQueueHistograms],
  });
  const meterProvider = new MeterProvider({ readers: [exporter] });
  const server = createServer((request, response) => {
    if (request.url === '/metrics') exporter.getMetricsRequestHandler(request, response);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  let closing: Promise<void> | undefined;
  return {
    metrics: createKubeInformersMetrics({ meterProvider, workQueueHistograms }),
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`,
    close() {
      closing ??= (async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await meterProvider.shutdown();
      })();
      return closing;
    },
  };
}
