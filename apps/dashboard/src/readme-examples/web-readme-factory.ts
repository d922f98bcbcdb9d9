import { createInformerFactory, defineResource } from '@kubeinformers/core';
import { browserTransport } from '@kubeinformers/web';

const factory = createInformerFactory(browserTransport({ baseUrl: '/k8s' })); // kubectl proxy behind /k8s

export const namespaces = factory.informerFor(
  defineResource({ group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false }),
);
