import { WorkQueue } from '@kubeinformers/core';
import { createKubeInformersMetrics } from '@kubeinformers/opentelemetry';
import { WorkQueueHistograms } from '@kubeinformers/opentelemetry/sdk';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

const workQueueHistograms = new WorkQueueHistograms();
// Every reader that should export the two histograms lists it: a reader without it does not see them.
const exporter = new PrometheusExporter({ port: 9464, metricProducers: [workQueueHistograms] });
const meterProvider = new MeterProvider({ readers: [exporter] });
const metrics = createKubeInformersMetrics({ meterProvider, workQueueHistograms });
// The hooks are used as before (here on a queue of its own; `createController({ metrics })` alike).
const queue = new WorkQueue<string>({ name: 'jobs', metrics: metrics.workQueue('jobs') });
metrics.observeWorkQueue(queue);
