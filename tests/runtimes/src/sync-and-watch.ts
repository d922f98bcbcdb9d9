import { createInformerFactory, defineResource, requestUrlPath, type Transport } from '@kubeinformers/core';

// What a user of core alone writes on any runtime with `fetch`: a Transport of a dozen lines, an
// informer, a wait for sync, and a change seen through the watch. Only Web-standard globals are used, so
// the same module runs unchanged under Node, Deno, Bun and in a browser page. It typechecks with the
// default ES2022 libs and no @types package.

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

export interface SyncAndWatchResult {
  /** Keys in the cache once synced. */
  readonly syncedKeys: readonly string[];
  /** The key of the config map created after the sync, as the watch delivered it. */
  readonly watchedKey: string;
  /** Its `data`, as held in the cache. */
  readonly watchedData: Readonly<Record<string, string>>;
}

/** A transport over `globalThis.fetch`: one GET whose body streams back. */
export function fetchTransport(apiServer: string): Transport {
  return {
    async request(request) {
      const response = await fetch(new URL(requestUrlPath(request), apiServer), {
        headers: { ...request.headers },
        signal: request.signal,
      });
      return {
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: response.body ?? (async function* () {})(),
      };
    },
  };
}

/**
 * Syncs the config maps of `namespace` from `apiServer`, creates one through the API, waits until the
 * informer's watch delivers it, then stops everything. Rejects after `timeoutMs` instead of hanging, and
 * leaves no timer or connection behind, so the caller's process can end by itself.
 */
export async function syncAndWatch(
  apiServer: string,
  { namespace = 'default', name = 'runtime-proof', timeoutMs = 15_000 } = {},
): Promise<SyncAndWatchResult> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error(`no sync and watched change within ${timeoutMs} ms`)),
    timeoutMs,
  );
  const factory = createInformerFactory(fetchTransport(apiServer));
  try {
    const informer = factory.informerFor(configMaps, { namespace });
    const key = `${namespace}/${name}`;
    // Settles when the watch delivers the created object, or rejects when the time runs out.
    const seen = new Promise<void>((resolve, reject) => {
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
      informer.addEventHandler({
        onAdd: (configMap) => {
          if (configMap.metadata?.name === name) resolve();
        },
      });
    });
    seen.catch(() => undefined); // a timeout during the sync is reported by the sync's own rejection
    factory.start(controller.signal);
    await factory.waitForCacheSync(controller.signal);
    const syncedKeys = informer.store.listKeys();

    const created = await fetch(new URL(`/api/v1/namespaces/${namespace}/configmaps`, apiServer), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name },
        data: { runtime: 'seen' },
      }),
      signal: controller.signal,
    });
    await created.body?.cancel();
    if (created.status !== 201) throw new Error(`creating ${key} answered ${created.status}`);

    await seen;
    const watched = informer.store.getByKey(key);
    return { syncedKeys, watchedKey: key, watchedData: { ...watched?.data } };
  } finally {
    clearTimeout(timer);
    controller.abort();
    await factory.shutdown();
  }
}
