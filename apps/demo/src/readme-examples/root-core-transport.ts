import { createInformerFactory, defineResource, requestUrlPath, type Transport } from '@kubeinformers/core';

interface ConfigMap {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  data?: Record<string, string>;
}

const configMaps = defineResource<ConfigMap>({
  group: '',
  version: 'v1',
  resource: 'configmaps',
  kind: 'ConfigMap',
  namespaced: true,
});

// Any HTTP client works: a transport performs one GET and streams the body back. Core does the rest
// (pagination, watch decoding, relists, backoff), on Node, Deno, Bun or in a browser.
const apiServer = 'https://kubernetes.example.com:6443';
const token = 'a bearer token';
const fetchTransport: Transport = {
  async request(request) {
    const response = await fetch(new URL(requestUrlPath(request), apiServer), {
      headers: { ...request.headers, authorization: `Bearer ${token}` },
      signal: request.signal,
    });
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: response.body ?? (async function* () {})(),
    };
  },
};

const controller = new AbortController();
const factory = createInformerFactory(fetchTransport);
const configMapInformer = factory.informerFor(configMaps, { namespace: 'default' });
factory.start(controller.signal);
await factory.waitForCacheSync(controller.signal);
console.log(configMapInformer.store.listKeys());
controller.abort();
