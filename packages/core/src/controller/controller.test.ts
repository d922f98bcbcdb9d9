import { describe, expect, it } from 'vitest';
import { ReconcileError } from '../errors/reconcile-error.js';
import { createInformerFactory } from '../informer/informer-factory.js';
import type { ResourceEventHandler } from '../informer/resource-event-handler.js';
import type { DeepReadonly } from '../store/deep-readonly.js';
import { InMemoryApi } from '../test-support/in-memory-api.js';
import { settle } from '../test-support/settle.js';
import { testPods } from '../test-support/test-resources.js';
import { ManualClock } from '../time/manual-clock.js';
import type { ControllerSource, ReconcileContext } from './controller.js';
import { createController } from './controller.js';
import type { MappedObject } from './primary-key-mappings.js';
import { byControllerOwner, byLabel } from './primary-key-mappings.js';

interface Thing extends MappedObject {
  readonly metadata?: MappedObject['metadata'] & {
    readonly name?: string;
    readonly resourceVersion?: string;
  };
}

/** A hand-driven informer: the least that proves the controller's wiring. */
class ScriptedSource<T> implements ControllerSource<T> {
  readonly handlers = new Set<ResourceEventHandler<T>>();
  private markSynced!: () => void;
  private readonly synced = new Promise<void>((resolve) => {
    this.markSynced = resolve;
  });
  addEventHandler(handler: ResourceEventHandler<T>) {
    this.handlers.add(handler);
    return {
      hasSynced: () => true,
      remove: () => this.handlers.delete(handler),
      [Symbol.dispose]: () => this.handlers.delete(handler),
    };
  }
  whenSynced(signal?: AbortSignal): Promise<void> {
    return signal === undefined
      ? this.synced
      : Promise.race([
          this.synced,
          new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
        ]);
  }
  sync(): void {
    this.markSynced();
  }
  add(object: T): void {
    for (const handler of this.handlers)
      handler.onAdd?.(object as DeepReadonly<T>, { isInInitialList: false });
  }
  update(before: T, after: T): void {
    for (const handler of this.handlers)
      handler.onUpdate?.(before as DeepReadonly<T>, after as DeepReadonly<T>);
  }
  delete(object: T, finalStateUnknown = false): void {
    for (const handler of this.handlers) handler.onDelete?.(object as DeepReadonly<T>, { finalStateUnknown });
  }
}

const thing = (
  namespace: string,
  name: string,
  extra: Partial<NonNullable<Thing['metadata']>> = {},
): Thing => ({
  metadata: { namespace, name, ...extra },
});

const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createController', () => {
  it('starts workers only after every source synced, then reconciles each changed key', async () => {
    const primary = new ScriptedSource<Thing>();
    const secondary = new ScriptedSource<Thing>();
    const seen: string[] = [];
    const controller = createController<Thing>({
      primary,
      secondaries: [
        { informer: secondary, toPrimaryKeys: byControllerOwner({ kind: 'Set', group: 'example.com' }) },
      ],
      reconcile: (key) => {
        seen.push(key);
      },
      clock: new ManualClock(),
    });
    const stop = new AbortController();
    const running = controller.run(stop.signal);
    primary.add(thing('ns', 'a'));
    primary.sync();
    await turn();
    expect(seen).toEqual([]);
    secondary.sync();
    await settle(() => seen.length === 1);
    primary.update(thing('ns', 'a'), thing('ns', 'b'));
    primary.delete(thing('ns', 'c'), true);
    const owned = (owner: string, controllerFlag = true) =>
      thing('ns', 'child', {
        ownerReferences: [
          { apiVersion: 'example.com/v1', kind: 'Set', name: owner, controller: controllerFlag },
        ],
      });
    secondary.add(owned('d'));
    secondary.add(owned('not-controller', false));
    secondary.update(owned('e'), owned('f'));
    await settle(() => seen.length === 6);
    expect(seen).toEqual(['ns/a', 'ns/b', 'ns/c', 'ns/d', 'ns/e', 'ns/f']);
    stop.abort();
    await running;
    expect(primary.handlers.size + secondary.handlers.size).toBe(0);
  });

  it('maps by label, and by owner only for the right kind and group', () => {
    const labelled = byLabel<Thing>('example.com/node', { namespaced: false });
    expect([...labelled(thing('ns', 'x', { labels: { 'example.com/node': 'node-1' } }))]).toEqual(['node-1']);
    expect([...labelled(thing('ns', 'x'))]).toEqual([]);
    const owner = byControllerOwner<Thing>({ kind: 'ReplicaSet', group: 'apps' });
    const reference = (apiVersion: string, kind: string) =>
      thing('ns', 'p', { ownerReferences: [{ apiVersion, kind, name: 'rs', controller: true }] });
    expect([...owner(reference('apps/v1', 'ReplicaSet'))]).toEqual(['ns/rs']);
    expect([...owner(reference('v1', 'ReplicaSet'))]).toEqual([]);
    expect([...owner(reference('apps/v1', 'Deployment'))]).toEqual([]);
  });

  it('retries a failing key through the rate limiter, reporting a ReconcileError, and forgets it on success', async () => {
    const clock = new ManualClock();
    const primary = new ScriptedSource<Thing>();
    primary.sync();
    const attempts: { at: number; attempt: number }[] = [];
    const errors: unknown[] = [];
    const controller = createController<Thing>({
      name: 'things',
      primary,
      clock,
      reconcile: (_key, { attempt }) => {
        attempts.push({ at: clock.now(), attempt });
        if (attempt < 3) throw new Error('server said no');
      },
      onError: (error) => errors.push(error),
    });
    const stop = new AbortController();
    const running = controller.run(stop.signal);
    primary.add(thing('ns', 'a'));
    await settle(() => attempts.length === 4, { clock, stepMs: 1 });
    // 5 ms, 10 ms, 20 ms after each failure: client-go's per-item exponential backoff.
    expect(attempts.map((entry) => entry.attempt)).toEqual([0, 1, 2, 3]);
    const gaps = attempts.slice(1).map((entry, index) => entry.at - (attempts[index]?.at ?? 0));
    expect(gaps).toEqual([5, 10, 20]);
    expect(errors).toHaveLength(3);
    expect(errors[2]).toBeInstanceOf(ReconcileError);
    expect(errors[2]).toMatchObject({
      code: 'KI_RECONCILE_FAILED',
      key: 'ns/a',
      attempt: 2,
      controllerName: 'things',
    });
    expect(controller.queue.numRequeues('ns/a')).toBe(0);
    stop.abort();
    await running;
  });

  it('requeues after the delay a result asks for', async () => {
    const clock = new ManualClock();
    const primary = new ScriptedSource<Thing>();
    primary.sync();
    const at: number[] = [];
    const controller = createController<Thing>({
      primary,
      clock,
      reconcile: () => {
        at.push(clock.now());
        return at.length < 3 ? { requeueAfterMs: 30_000 } : undefined;
      },
    });
    const stop = new AbortController();
    const running = controller.run(stop.signal);
    primary.add(thing('ns', 'a'));
    await settle(() => at.length === 3, { clock, stepMs: 1000 });
    expect(at).toEqual([0, 30_000, 60_000]);
    stop.abort();
    await running;
  });

  it('never reconciles one key twice at once, and reconciles again after a change during a reconcile', async () => {
    const primary = new ScriptedSource<Thing>();
    primary.sync();
    const active = new Set<string>();
    let overlaps = 0;
    const releases: (() => void)[] = [];
    const seen: string[] = [];
    const controller = createController<Thing>({
      primary,
      workers: 4,
      clock: new ManualClock(),
      reconcile: async (key) => {
        if (active.has(key)) overlaps++;
        active.add(key);
        seen.push(key);
        await new Promise<void>((resolve) => releases.push(resolve));
        active.delete(key);
      },
    });
    const stop = new AbortController();
    const running = controller.run(stop.signal);
    primary.add(thing('ns', 'a'));
    primary.add(thing('ns', 'b'));
    await settle(() => seen.length === 2);
    primary.update(thing('ns', 'a'), thing('ns', 'a'));
    primary.update(thing('ns', 'a'), thing('ns', 'a'));
    await turn();
    expect(seen).toEqual(['ns/a', 'ns/b']);
    for (const release of releases.splice(0)) release();
    await settle(() => seen.length === 3);
    expect(seen[2]).toBe('ns/a');
    expect(overlaps).toBe(0);
    stop.abort();
    await turn();
    for (const release of releases.splice(0)) release();
    await running;
  });

  it('on stop aborts the signal of reconciles in progress, and drains them or abandons them', async () => {
    for (const onStop of ['drain', 'abandon'] as const) {
      const primary = new ScriptedSource<Thing>();
      primary.sync();
      let context: ReconcileContext | undefined;
      let finish!: () => void;
      let finished = false;
      const controller = createController<Thing>({
        primary,
        onStop,
        clock: new ManualClock(),
        reconcile: async (_key, reconcileContext) => {
          context = reconcileContext;
          await new Promise<void>((resolve) => {
            finish = resolve;
          });
          finished = true;
        },
      });
      const stop = new AbortController();
      let stopped = false;
      const running = controller.run(stop.signal).then(() => {
        stopped = true;
      });
      primary.add(thing('ns', 'a'));
      primary.add(thing('ns', 'b'));
      await settle(() => context !== undefined);
      stop.abort();
      await turn();
      expect(stopped).toBe(onStop === 'abandon');
      // Stopping means leadership lost or shutdown: in every mode, the README's
      // `signal.throwIfAborted()` before a write must stop that write.
      expect(context?.signal.aborted).toBe(true);
      finish();
      await running;
      expect(finished).toBe(true);
      expect(controller.queue.isShuttingDown).toBe(true);
    }
  });

  it('with a real informer, resync enqueues every object and a deleted primary is reconciled', async () => {
    const clock = new ManualClock();
    const api = new InMemoryApi(clock);
    for (const name of ['p1', 'p2', 'p3']) api.create(testPods, { metadata: { name, namespace: 'default' } });
    const factory = createInformerFactory(api, { clock, onError: () => {} });
    const informer = factory.informerFor(testPods);
    const reconciled: string[] = [];
    const controller = createController({
      primary: informer,
      clock,
      resyncPeriodMs: 60_000,
      reconcile: (key) => {
        reconciled.push(`${key} ${informer.store.getByKey(key) === undefined ? 'gone' : 'present'}`);
      },
    });
    const stop = new AbortController();
    const running = controller.run(stop.signal);
    factory.start(stop.signal);
    await settle(() => reconciled.length === 3);
    api.delete(testPods, 'default/p2');
    await settle(() => reconciled.length === 4);
    expect(reconciled[3]).toBe('default/p2 gone');
    clock.advance(60_000);
    await settle(() => reconciled.length === 6);
    expect(reconciled.slice(4).sort()).toEqual(['default/p1 present', 'default/p3 present']);
    stop.abort();
    await running;
  });
});
