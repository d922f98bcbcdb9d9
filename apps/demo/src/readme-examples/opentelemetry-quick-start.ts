import { createController, createInformerFactory } from '@kubeinformers/core';
import { configMaps, kubeConfigTransport } from '@kubeinformers/k8s-client-adapter';
import { createKubeInformersMetrics } from '@kubeinformers/opentelemetry';
import { KubeConfig } from '@kubernetes/client-node';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

// Serves http://localhost:9464/metrics.
const meterProvider = new MeterProvider({ readers: [new PrometheusExporter({ port: 9464 })] });
const metrics = createKubeInformersMetrics({ meterProvider });

const kubeConfig = new KubeConfig();
kubeConfig.loadFromDefault();
const factory = createInformerFactory(kubeConfigTransport(kubeConfig), {
  reflectorMetrics: metrics.reflectorMetrics,
});
const informer = factory.informerFor(configMaps);
metrics.observeInformer('configmaps', informer);

const controller = createController({
  name: 'configmap-controller',
  primary: informer,
  metrics: metrics.workQueue('configmap-controller'),
  reconcile: (key) => console.log('reconcile', key),
});
metrics.observeWorkQueue(controller.queue);
