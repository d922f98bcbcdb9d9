// The smallest browser program on @kubeinformers/core alone: a 20-line fetch transport, one pods informer,
// and the result written into the page. Bundled by Vite in the test, never by the dashboard.
import { createInformerFactory, defineResource, type KubeObject, type Transport } from '@kubeinformers/core';

const api = new URLSearchParams(location.search).get('api') ?? '';

const fetchTransport: Transport = {
  async request({ path, query, headers, signal }) {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {}))
      if (value !== undefined) search.append(name, value);
    const response = await fetch(`${api}${path}?${search}`, { headers: { ...headers }, signal });
    const reader = response.body?.getReader();
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      responseHeaders[name] = value;
    });
    return {
      status: response.status,
      headers: responseHeaders,
      body: {
        async *[Symbol.asyncIterator]() {
          for (let next = await reader?.read(); next !== undefined && !next.done; next = await reader?.read())
            yield next.value;
        },
      },
    };
  },
};

const pods = defineResource<KubeObject>({
  group: '',
  version: 'v1',
  resource: 'pods',
  kind: 'Pod',
  namespaced: true,
});
const factory = createInformerFactory(fetchTransport);
const informer = factory.informerFor(pods);
factory.start(new AbortController().signal);
informer.addEventHandler({
  onAdd: () => {
    if (informer.hasSynced()) document.title = `synced:${informer.store.listKeys().length}`;
  },
});
await factory.waitForCacheSync();
document.title = `synced:${informer.store.listKeys().length}`;
