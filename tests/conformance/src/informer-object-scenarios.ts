import {
  createInformerFactory,
  type KubeObject,
  type SharedInformer,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from '@kubeinformers/core';
import { expect } from 'vitest';
import { type ListWatchScenario, scenario } from './list-watch-scenario.js';
import { configMaps } from './test-support/list-watch-driver.js';

// Bounds every wait for the informers; both fakes answer in milliseconds.
const waitLimitMs = 5_000;

/**
 * The API server leaves `kind`/`apiVersion` out of list items (the list names the kind once); both fakes
 * keep them. This transport removes them from every list response's items, so the informers meet the
 * real server's shape on both fakes.
 */
class RealServerListItems implements Transport {
  lists = 0;

  constructor(private readonly inner: Transport) {}

  async request(request: TransportRequest): Promise<TransportResponse> {
    const response = await this.inner.request(request);
    if (request.query?.watch === 'true' || response.status !== 200) return response;
    this.lists += 1;
    const decoder = new TextDecoder();
    let text = '';
    for await (const chunk of response.body) text += decoder.decode(chunk, { stream: true });
    const list = JSON.parse(text + decoder.decode()) as { items?: Record<string, unknown>[] };
    for (const item of list.items ?? []) {
      delete item.kind;
      delete item.apiVersion;
    }
    const body = new TextEncoder().encode(JSON.stringify(list));
    return {
      ...response,
      body: (async function* () {
        yield body;
      })(),
    };
  }
}

async function eventually(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + waitLimitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${waitLimitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The `kind apiVersion` pairs among `objects`, sorted: one entry when they are uniform. */
function typesOf(objects: readonly KubeObject[]): string[] {
  return [...new Set(objects.map((object) => `${object.kind} ${object.apiVersion}`))].sort();
}

/** What the informers of core hold and deliver, whichever path an object came by. */
export const informerObjectScenarios: readonly ListWatchScenario[] = [
  scenario(
    'informers fill apiVersion/kind on list items: every object from list, watch, relist and streaming list carries them',
    async (session) => {
      session.create({ name: 'a' });
      session.create({ name: 'b' });
      const transport = new RealServerListItems(session.driver.transport);
      const factory = createInformerFactory(transport, { onError: () => undefined });
      const informers = {
        listed: factory.informerFor(configMaps),
        streamed: factory.informerFor(configMaps, { streamingInitialList: true }),
        metadataOnly: factory.informerFor(configMaps, { metadataOnly: true }),
      };
      const delivered: Record<string, KubeObject[]> = { listed: [], streamed: [], metadataOnly: [] };
      for (const [name, informer] of Object.entries(informers)) {
        const seen = delivered[name] as KubeObject[];
        const record = (object: unknown): void => {
          seen.push(object as KubeObject);
        };
        (informer as unknown as SharedInformer<KubeObject>).addEventHandler({
          onAdd: record,
          onUpdate: (_, object) => record(object),
          onDelete: record,
        });
      }
      const controller = new AbortController();
      try {
        factory.start(controller.signal);
        await factory.waitForCacheSync(AbortSignal.timeout(waitLimitMs));
        const all = Object.values(informers);
        const holdEverywhere = (key: string) => () =>
          all.every((informer) => informer.store.getByKey(key) !== undefined);
        // Watch events: an add, an update, a delete.
        session.create({ name: 'c' });
        session.update({ name: 'a', data: { changed: 'yes' } });
        session.delete('default/b');
        await eventually(
          () => holdEverywhere('default/c')() && all.every((informer) => informer.store.size === 2),
          'the watch events',
        );
        // A relist: the watches end, and before they are reopened a write is compacted away, so the
        // rewatch from the version they had answers 410.
        const listsBefore = transport.lists;
        session.dropWatches();
        session.create({ name: 'd' });
        session.compact();
        await eventually(holdEverywhere('default/d'), 'the relist');
        const relisted = transport.lists > listsBefore;
        return {
          relisted,
          ...Object.fromEntries(
            Object.entries(informers).map(([name, informer]) => [
              name,
              {
                delivered: typesOf(delivered[name] as KubeObject[]),
                stored: typesOf(informer.store.list() as KubeObject[]),
                keys: informer.store.listKeys().sort(),
              },
            ]),
          ),
        };
      } finally {
        controller.abort();
        await factory.shutdown();
      }
    },
    (outcome) => {
      expect(outcome.relisted).toBe(true);
      const full = {
        delivered: ['ConfigMap v1'],
        stored: ['ConfigMap v1'],
        keys: ['default/a', 'default/c', 'default/d'],
      };
      expect(outcome).toMatchObject({
        listed: full,
        streamed: full,
        metadataOnly: {
          delivered: ['PartialObjectMetadata meta.k8s.io/v1'],
          stored: ['PartialObjectMetadata meta.k8s.io/v1'],
          keys: ['default/a', 'default/c', 'default/d'],
        },
      });
    },
  ),
];
