import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HandlerError } from '../errors/handler-error.js';
import { InformerStoppedError } from '../errors/informer-stopped-error.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import type { KubeInformersError } from '../errors/kube-informers-error.js';
import { TransformError } from '../errors/transform-error.js';
import type { ListWatchSink } from '../list-watch/list-watch-sink.js';
import type { DeepReadonly } from '../store/deep-readonly.js';
import type { StorageMode } from '../store/store-writer.js';
import { storageModes } from '../test-support/storage-modes.js';
import { ManualClock } from '../time/manual-clock.js';
import type { ResourceEventHandler } from './resource-event-handler.js';
import type { SharedInformerOptions } from './shared-informer.js';
import { SharedInformer } from './shared-informer.js';
import { stripManagedFields } from './strip-managed-fields.js';

interface Pod {
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    resourceVersion: string;
    labels?: Record<string, string>;
    managedFields?: unknown[];
  };
  status?: { podIP?: string };
}

function pod(name: string, resourceVersion: string, extra: Partial<Pod> = {}): Pod {
  return { metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion }, ...extra };
}

type Event = [string, string, ...unknown[]];

/** A handler that records what it sees as `[method, name@rv, context or old rv]`. */
function recorder(events: Event[] = []): ResourceEventHandler<Pod> & { events: Event[] } {
  const id = (object: DeepReadonly<Pod>) => `${object.metadata.name}@${object.metadata.resourceVersion}`;
  return {
    events,
    onAdd: (object, context) => void events.push(['add', id(object), context.isInInitialList]),
    onUpdate: (oldObject, newObject) =>
      void events.push(['update', id(newObject), oldObject === newObject ? 'same' : id(oldObject)]),
    onDelete: (object, context) => void events.push(['delete', id(object), context.finalStateUnknown]),
  };
}

const controllers: AbortController[] = [];
afterEach(() => {
  for (const controller of controllers.splice(0)) controller.abort();
});

/** The store of the suite being run (both suites run every test). */
let storage: StorageMode = 'objects';

/** Runs an informer whose list/watch loop is the test: returns the sink the loop would write into. */
function startInformer<I extends string = never>(options: Partial<SharedInformerOptions<Pod, I>> = {}) {
  const errors: KubeInformersError[] = [];
  const controller = new AbortController();
  controllers.push(controller);
  let captured: ListWatchSink<Pod> | undefined;
  let runs = 0;
  const informer = new SharedInformer<Pod, I>({
    resourceName: 'pods',
    storage,
    onError: (error) => errors.push(error),
    listWatch: ({ sink, signal }) => {
      runs += 1;
      captured = sink;
      return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    },
    ...options,
  });
  const running = informer.run(controller.signal);
  return { informer, sink: captured!, errors, controller, running, runs: () => runs };
}

describe.each(storageModes)('SharedInformer storing %s', (mode) => {
  beforeEach(() => {
    storage = mode;
  });

  it('stores the initial list, announces it as initial adds and reports synced', async () => {
    const { informer, sink } = startInformer();
    const handler = recorder();
    const registration = informer.addEventHandler(handler);
    expect(informer.hasSynced()).toBe(false);
    expect(registration.hasSynced()).toBe(false);
    const synced = informer.whenSynced();
    sink.replace([pod('a', '1'), pod('b', '2')], '10');
    await synced;
    expect(informer.hasSynced()).toBe(true);
    expect(registration.hasSynced()).toBe(true);
    expect(informer.lastSyncResourceVersion).toBe('10');
    expect(handler.events).toEqual([
      ['add', 'a@1', true],
      ['add', 'b@2', true],
    ]);
    expect(informer.store.get('default', 'a')?.metadata.resourceVersion).toBe('1');
  });

  it('applies watch events in order and delivers them per object in order', () => {
    const { informer, sink } = startInformer();
    const handler = recorder();
    informer.addEventHandler(handler);
    sink.replace([], '1');
    sink.apply({ type: 'ADDED', object: pod('a', '2') }, '2');
    sink.apply({ type: 'MODIFIED', object: pod('a', '3') }, '3');
    sink.apply({ type: 'MODIFIED', object: pod('b', '4') }, '4'); // never seen added: an add
    sink.apply({ type: 'ADDED', object: pod('b', '5') }, '5'); // already held: an update
    sink.apply({ type: 'DELETED', object: pod('a', '6') }, '6');
    sink.apply({ type: 'DELETED', object: pod('ghost', '7') }, '7'); // never held: nothing
    sink.bookmark('8');
    expect(handler.events).toEqual([
      ['add', 'a@2', false],
      ['update', 'a@3', 'a@2'],
      ['add', 'b@4', false],
      ['update', 'b@5', 'b@4'],
      ['delete', 'a@6', false],
    ]);
    expect(informer.store.listKeys()).toEqual(['default/b']);
    expect(informer.lastSyncResourceVersion).toBe('8');
  });

  it('announces objects missing from a relist as deletes whose final state is unknown', () => {
    const { informer, sink } = startInformer();
    sink.replace([pod('a', '1'), pod('b', '1')], '1');
    const handler = recorder();
    informer.addEventHandler(handler);
    handler.events.length = 0;
    sink.replace([pod('b', '3'), pod('c', '2')], '3');
    expect(handler.events).toEqual([
      ['delete', 'a@1', true],
      ['update', 'b@3', 'b@1'],
      ['add', 'c@2', false],
    ]);
  });

  it('replays the cache to a handler added late, then delivers changes to it', () => {
    const { informer, sink } = startInformer();
    sink.replace([pod('a', '1'), pod('b', '1')], '1');
    const late = recorder();
    const registration = informer.addEventHandler(late);
    expect(registration.hasSynced()).toBe(true);
    sink.apply({ type: 'MODIFIED', object: pod('a', '2') }, '2');
    expect(late.events).toEqual([
      ['add', 'a@1', true],
      ['add', 'b@1', true],
      ['update', 'a@2', 'a@1'],
    ]);
  });

  it('reports a throwing or rejecting handler and keeps the store and other handlers going', async () => {
    const { informer, sink, errors } = startInformer();
    const failure = new Error('handler bug');
    informer.addEventHandler({
      onAdd: () => {
        throw failure;
      },
      onUpdate: () => Promise.reject(new Error('async bug')),
    });
    const healthy = recorder();
    informer.addEventHandler(healthy);
    sink.replace([pod('a', '1')], '1');
    sink.apply({ type: 'MODIFIED', object: pod('a', '2') }, '2');
    sink.apply({ type: 'ADDED', object: pod('b', '3') }, '3');
    await Promise.resolve();
    expect(healthy.events).toHaveLength(3);
    expect(informer.store.size).toBe(2);
    expect(
      errors.map((error) => [
        error.code,
        (error as HandlerError).handlerMethod,
        (error as HandlerError).objectKey,
      ]),
    ).toEqual([
      ['KI_HANDLER_FAILED', 'onAdd', 'default/a'],
      ['KI_HANDLER_FAILED', 'onAdd', 'default/b'],
      ['KI_HANDLER_FAILED', 'onUpdate', 'default/a'],
    ]);
    expect(errors[0]).toBeInstanceOf(HandlerError);
    expect(errors[0]?.cause).toBe(failure);
  });

  it('gives a handler added during a dispatch the final cache once, and stops calling a removed one at once', () => {
    const { informer, sink } = startInformer();
    const added = recorder();
    const removedLater = recorder();
    let registrationToRemove: { remove(): void } | undefined;
    informer.addEventHandler({
      onAdd: (object) => {
        if (object.metadata.name === 'a') {
          informer.addEventHandler(added);
          registrationToRemove?.remove();
        }
      },
    });
    registrationToRemove = informer.addEventHandler(removedLater);
    sink.replace([pod('a', '1'), pod('b', '1')], '1');
    expect(added.events).toEqual([
      ['add', 'a@1', true],
      ['add', 'b@1', true],
    ]);
    expect(removedLater.events).toEqual([]);
  });

  it('stops notifying a handler after remove() or at the end of a using block', () => {
    const { informer, sink } = startInformer();
    const handler = recorder();
    {
      using _registration = informer.addEventHandler(handler);
      sink.replace([pod('a', '1')], '1');
    }
    const other = recorder();
    const registration = informer.addEventHandler(other);
    registration.remove();
    registration.remove();
    sink.apply({ type: 'ADDED', object: pod('b', '2') }, '2');
    expect(handler.events).toEqual([['add', 'a@1', true]]);
    expect(other.events).toEqual([['add', 'a@1', true]]);
  });

  it('resyncs each handler on its own period from the cache, without relisting, and stops with the informer', async () => {
    const clock = new ManualClock();
    const { informer, sink, controller, running, runs } = startInformer({ clock, resyncPeriodMs: 60_000 });
    const fast = recorder();
    const slow = recorder();
    const never = recorder();
    informer.addEventHandler(fast, { resyncPeriodMs: 10_000 });
    informer.addEventHandler(slow);
    informer.addEventHandler(never, { resyncPeriodMs: 0 });
    clock.advance(10_000); // not synced yet: nothing to replay
    expect(fast.events).toEqual([]);
    sink.replace([pod('a', '1')], '1');
    clock.advance(10_000);
    expect(fast.events).toEqual([
      ['add', 'a@1', true],
      ['update', 'a@1', 'same'],
    ]);
    clock.advance(40_000);
    expect(fast.events.filter(([method]) => method === 'update')).toHaveLength(5);
    expect(slow.events).toEqual([
      ['add', 'a@1', true],
      ['update', 'a@1', 'same'],
    ]);
    expect(never.events).toHaveLength(1);
    expect(runs()).toBe(1);
    expect(clock.pendingTimers).toBe(2);
    controller.abort();
    await running;
    expect(clock.pendingTimers).toBe(0);
    expect(informer.isRunning).toBe(false);
  });

  it('raises resync periods under a second to one second and rejects invalid ones', () => {
    const clock = new ManualClock();
    const { informer, sink } = startInformer({ clock });
    sink.replace([pod('a', '1')], '1');
    const handler = recorder();
    informer.addEventHandler(handler, { resyncPeriodMs: 1 });
    expect(clock.nextTimerDelay).toBe(1000);
    expect(() => informer.addEventHandler(recorder(), { resyncPeriodMs: -5 })).toThrow(InvalidOptionError);
    expect(() => informer.addEventHandler(recorder(), { resyncPeriodMs: Number.NaN })).toThrow(
      /resyncPeriodMs/,
    );
  });

  it('transforms objects before storing and delivering them', () => {
    const { informer, sink } = startInformer({ transform: stripManagedFields });
    const seen: unknown[] = [];
    informer.addEventHandler({ onAdd: (object) => void seen.push(object.metadata) });
    const withFields = (name: string, rv: string) => ({
      ...pod(name, rv),
      metadata: { ...pod(name, rv).metadata, managedFields: [{ manager: 'kubectl' }] },
    });
    sink.replace([withFields('a', '1')], '1');
    sink.apply({ type: 'ADDED', object: withFields('b', '2') }, '2');
    expect(informer.store.list().every((object) => !('managedFields' in object.metadata))).toBe(true);
    expect(seen.every((metadata) => !Object.hasOwn(metadata as object, 'managedFields'))).toBe(true);
  });

  it('stores an object as received when the transform throws, and reports it', () => {
    const { informer, sink, errors } = startInformer({
      transform: (object) => {
        if (object.metadata.name === 'bad') throw new Error('transform bug');
        return { ...object, status: { podIP: 'transformed' } };
      },
    });
    sink.replace([pod('good', '1'), pod('bad', '1')], '1');
    expect(informer.store.get('default', 'good')?.status?.podIP).toBe('transformed');
    expect(informer.store.get('default', 'bad')?.status).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(TransformError);
    expect(errors[0]).toMatchObject({ code: 'KI_TRANSFORM_FAILED', objectKey: 'default/bad' });
  });

  it('adds indexes while running and reads through the lister', () => {
    const { informer, sink } = startInformer({
      indexers: { byIP: (object) => (object.status?.podIP ? [object.status.podIP] : []) },
    });
    sink.replace(
      [
        pod('a', '1', { status: { podIP: '10.0.0.1' } }),
        {
          ...pod('b', '1'),
          metadata: { ...pod('b', '1').metadata, namespace: 'other', labels: { app: 'web' } },
        },
      ],
      '1',
    );
    expect(informer.store.byIndex('byIP', '10.0.0.1').map((object) => object.metadata.name)).toEqual(['a']);
    const store = informer.addIndexers({ byName: (object) => [object.metadata.name] });
    expect(store.indexKeys('byName', 'b')).toEqual(['other/b']);
    expect(informer.lister.namespace('other').list('app=web')).toHaveLength(1);
    expect(informer.lister.namespace('default').list('app=web')).toHaveLength(0);
    expect(informer.lister.namespace('default').get('a')?.metadata.name).toBe('a');
    expect(informer.lister.list()).toHaveLength(2);
  });

  it('hands out a store with no way to write, from TypeScript or plain JavaScript', () => {
    const { informer, sink } = startInformer();
    sink.replace([pod('a', '1')], '1');
    const views = [informer.store, informer.addIndexers({ byName: (object) => [object.metadata.name] })];
    for (const view of views) {
      const reachable = new Set<string>();
      for (let level: object | null = view; level !== null; level = Object.getPrototypeOf(level)) {
        for (const name of Object.getOwnPropertyNames(level)) reachable.add(name);
      }
      for (const mutation of ['upsert', 'delete', 'replace', 'addIndexers', 'clear', 'set'])
        expect(reachable.has(mutation), mutation).toBe(false);
      expect(Object.values(view)).toEqual([]);
      expect(view.getByKey('default/a')?.metadata.resourceVersion).toBe('1');
    }
    sink.apply({ type: 'MODIFIED', object: pod('a', '2') }, '2');
    expect(informer.store.getByKey('default/a')?.metadata.resourceVersion).toBe('2');
  });

  it('rejects waits when aborted or when the informer stops unsynced, and ignores a loop writing after stop', async () => {
    const { informer, sink, controller, running } = startInformer();
    const waiting = new AbortController();
    const aborted = informer.whenSynced(waiting.signal);
    waiting.abort(new Error('gave up'));
    await expect(aborted).rejects.toThrow('gave up');
    const stopped = informer.whenSynced();
    controller.abort();
    await running;
    await expect(stopped).rejects.toBeInstanceOf(InformerStoppedError);
    sink.replace([pod('late', '1')], '1');
    expect(informer.store.size).toBe(0);
    expect(informer.hasSynced()).toBe(false);
  });

  it('returns the running promise when run twice, and relists into the kept cache when run again', async () => {
    const sinks: ListWatchSink<Pod>[] = [];
    const informer = new SharedInformer<Pod>({
      resourceName: 'pods',
      listWatch: ({ sink, signal }) => {
        sinks.push(sink);
        return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      },
    });
    const first = new AbortController();
    const running = informer.run(first.signal);
    expect(informer.run(new AbortController().signal)).toBe(running);
    sinks[0]?.replace([pod('a', '1'), pod('b', '1')], '1');
    first.abort();
    await running;
    expect(informer.isRunning).toBe(false);
    const handler = recorder();
    informer.addEventHandler(handler);
    const second = new AbortController();
    controllers.push(second);
    void informer.run(second.signal);
    expect(sinks).toHaveLength(2);
    sinks[1]?.replace([pod('b', '1'), pod('c', '2')], '2');
    expect(handler.events).toEqual([
      ['add', 'a@1', true],
      ['add', 'b@1', true],
      ['delete', 'a@1', true],
      ['add', 'c@2', false],
    ]);
  });
});
