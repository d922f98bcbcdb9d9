import { afterAll, describe, expect, it } from 'vitest';
import type { DeepReadonly } from '../store/deep-readonly.js';
import { objectKey } from '../store/store.js';
import type { StorageMode } from '../store/store-writer.js';
import { InMemoryApi } from '../test-support/in-memory-api.js';
import { seededRandom } from '../test-support/seeded-random.js';
import { settle } from '../test-support/settle.js';
import { storageModes } from '../test-support/storage-modes.js';
import type { TestPod } from '../test-support/test-resources.js';
import { testPods } from '../test-support/test-resources.js';
import { ManualClock } from '../time/manual-clock.js';
import { createInformerFactory } from './informer-factory.js';
import type { ResourceEventHandler } from './resource-event-handler.js';

type Pod = DeepReadonly<TestPod>;
type Event =
  | { readonly type: 'add'; readonly object: Pod }
  | { readonly type: 'update'; readonly oldObject: Pod; readonly object: Pod }
  | { readonly type: 'delete'; readonly object: Pod; readonly finalStateUnknown: boolean };

/** Records each object's events as one handler saw them. */
function eventLog(): { handler: ResourceEventHandler<TestPod>; byKey: Map<string, Event[]> } {
  const byKey = new Map<string, Event[]>();
  const record = (object: Pod, event: Event) => {
    const key = objectKey(object);
    byKey.set(key, [...(byKey.get(key) ?? []), event]);
  };
  return {
    byKey,
    handler: {
      onAdd: (object) => record(object, { type: 'add', object }),
      onUpdate: (oldObject, object) => record(object, { type: 'update', oldObject, object }),
      onDelete: (object, { finalStateUnknown }) =>
        record(object, { type: 'delete', object, finalStateUnknown }),
    },
  };
}

const version = (object: Pod) => Number(object.metadata?.resourceVersion);

/**
 * Checks one object's event sequence: nothing but an add while absent; no add while present; each update
 * continues from exactly the object last delivered, never going back in version; the last event matches
 * the final state (`truth` undefined = the object does not exist).
 */
function checkSequence(
  key: string,
  events: readonly Event[],
  truth: TestPod | undefined,
  storage: StorageMode,
): void {
  let current: Pod | undefined;
  for (const [index, event] of events.entries()) {
    const where = `${key} event ${index} (${event.type})`;
    if (event.type === 'add') {
      expect(current, `${where}: add while present`).toBeUndefined();
      current = event.object;
      continue;
    }
    expect(current, `${where}: before any add`).toBeDefined();
    if (event.type === 'update') {
      // A compact store keeps the old object's identity only while it is tracked (read from the store);
      // its old object is otherwise the same state, parsed from the text when read.
      if (storage === 'objects')
        expect(event.oldObject, `${where}: old is not the last delivered`).toBe(current);
      else expect(event.oldObject, `${where}: old is not the last delivered`).toEqual(current);
      expect(version(event.object), `${where}: went back in time`).toBeGreaterThanOrEqual(version(current!));
      current = event.object;
    } else {
      current = undefined;
    }
  }
  if (truth === undefined) expect(current, `${key}: final state is deleted`).toBeUndefined();
  else expect(current, `${key}: final state`).toEqual(truth);
}

const seeds = [1, 2, 3, 42, 1337, 20_240_601];

/** What the runs went through, so that the test keeps proving the failure paths and not just the happy one. */
const exercised = { relists: 0, continuedPages: 0, finalStateUnknownDeletes: 0, rewatches: 0 };

describe('randomized invariants: the real reflector and informer against a changing, failing API', () => {
  afterAll(() => {
    expect(exercised.relists).toBeGreaterThan(0);
    expect(exercised.continuedPages).toBeGreaterThan(0);
    expect(exercised.finalStateUnknownDeletes).toBeGreaterThan(0);
    expect(exercised.rewatches).toBeGreaterThan(seeds.length * storageModes.length);
  });

  it.each(storageModes.flatMap((storage) => seeds.map((seed) => ({ storage, seed }))))(
    'converges to the truth with valid event sequences ($storage, seed $seed)',
    async ({ storage, seed }) => {
      const random = seededRandom(seed);
      const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
      const clock = new ManualClock();
      const api = new InMemoryApi(clock);
      const factory = createInformerFactory(api, { clock, random, pageSize: 3, storage, onError: () => {} });
      const informer = factory.informerFor(testPods, {
        indexers: {
          byApp: (pod) => (pod.metadata?.labels?.app === undefined ? [] : [pod.metadata.labels.app]),
        },
      });
      const early = eventLog();
      informer.addEventHandler(early.handler, { resyncPeriodMs: 30_000 });
      let late: ReturnType<typeof eventLog> | undefined;
      const controller = new AbortController();
      const names = Array.from({ length: 12 }, (_, index) => `pod-${index}`);
      const namespaces = ['default', 'team-a'];
      const apps = ['web', 'db', 'cache'];

      try {
        for (const name of names.slice(0, 4))
          api.create(testPods, { metadata: { name, labels: { app: pick(apps) } } });
        factory.start(controller.signal);
        for (let step = 0; step < 250; step += 1) {
          const existing = api.list(testPods);
          const roll = random();
          if (roll < 0.3) {
            const name = pick(names);
            const namespace = pick(namespaces);
            if (!existing.some((pod) => objectKey(pod) === `${namespace}/${name}`)) {
              api.create(testPods, { metadata: { name, namespace, labels: { app: pick(apps) } } });
            }
          } else if (roll < 0.55 && existing.length > 0) {
            const pod = pick(existing);
            api.update(testPods, {
              ...pod,
              metadata: { ...pod.metadata, labels: { app: pick(apps) } },
              status: { phase: `step-${step}` },
            });
          } else if (roll < 0.7 && existing.length > 0) {
            api.delete(testPods, objectKey(pick(existing)));
          } else if (roll < 0.76) {
            api.dropWatches();
          } else if (roll < 0.8) {
            api.compact();
          } else if (roll < 0.83) {
            api.bookmark();
          } else if (roll < 0.95) {
            // Let the loop catch up for a while, with time passing (backoffs, resyncs, watch timeouts).
            await new Promise((resolve) => setTimeout(resolve, 0));
            clock.advance(Math.floor(random() * 5000));
          } else if (roll < 0.96) {
            clock.advance(400_000);
          }
          if (late === undefined && step === 120) {
            late = eventLog();
            informer.addEventHandler(late.handler);
          }
        }

        await settle(() => informer.hasSynced() && informer.lastSyncResourceVersion === api.resourceVersion, {
          clock,
          stepMs: 1000,
          maxTurns: 200,
        });

        const truth = new Map(api.list(testPods).map((pod) => [objectKey(pod), pod]));
        expect(new Map(informer.store.list().map((pod) => [objectKey(pod), pod]))).toEqual(truth);
        for (const app of apps) {
          const expected = [...truth.values()]
            .filter((pod) => pod.metadata?.labels?.app === app)
            .map(objectKey);
          expect(informer.store.indexKeys('byApp', app).sort(), `byApp=${app}`).toEqual(expected.sort());
        }
        for (const log of [early, late!]) {
          for (const key of new Set([...log.byKey.keys(), ...truth.keys()])) {
            checkSequence(key, log.byKey.get(key) ?? [], truth.get(key), storage);
          }
        }
        const requests = api.requests.map((request) => request.query ?? {});
        exercised.relists +=
          requests.filter((query) => query.watch === undefined && query.continue === undefined).length - 1;
        exercised.continuedPages += requests.filter((query) => query.continue !== undefined).length;
        exercised.rewatches += requests.filter((query) => query.watch !== undefined).length - 1;
        exercised.finalStateUnknownDeletes += [...early.byKey.values()]
          .flat()
          .filter((event) => event.type === 'delete' && event.finalStateUnknown).length;
        controller.abort();
        await factory.shutdown();
        expect(api.openWatches).toBe(0);
        expect(clock.pendingTimers).toBe(0);
      } catch (error) {
        controller.abort();
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(
          `randomized invariant failed with seed ${seed}, storage ${storage} (replay with seeds = [${seed}]): ${reason}`,
          {
            cause: error,
          },
        );
      }
    },
  );
});
