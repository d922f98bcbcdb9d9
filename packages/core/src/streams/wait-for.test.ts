import { describe, expect, it } from 'vitest';
import { WaitTimeoutError } from '../errors/wait-timeout-error.js';
import { createInformerFactory } from '../informer/informer-factory.js';
import type { ResourceEventHandler } from '../informer/resource-event-handler.js';
import { InMemoryApi } from '../test-support/in-memory-api.js';
import { settle } from '../test-support/settle.js';
import type { TestPod } from '../test-support/test-resources.js';
import { testPods } from '../test-support/test-resources.js';
import { ManualClock } from '../time/manual-clock.js';
import { waitFor } from './wait-for.js';

const running = (pod: { readonly status?: { readonly phase?: string } }) => pod.status?.phase === 'Running';

async function startedInformer() {
  const clock = new ManualClock();
  const api = new InMemoryApi(clock);
  const factory = createInformerFactory(api, { clock, onError: () => {} });
  const informer = factory.informerFor(testPods);
  const stop = new AbortController();
  factory.start(stop.signal);
  await factory.waitForCacheSync(stop.signal);
  return { clock, api, informer, stop };
}

describe('waitFor', () => {
  it('resolves at once with an object already cached that meets the condition', async () => {
    const { api, informer, stop } = await startedInformer();
    api.create(testPods, { metadata: { name: 'p1', namespace: 'default' }, status: { phase: 'Running' } });
    await settle(() => informer.store.list().length === 1);
    const pod = await waitFor(informer, running, { timeoutMs: 1 });
    expect(pod.metadata?.name).toBe('p1');
    stop.abort();
  });

  it('resolves with the first later add or update that meets it', async () => {
    const { api, informer, stop } = await startedInformer();
    const created = api.create(testPods, { metadata: { name: 'p1', namespace: 'default' } });
    let result: TestPod | undefined;
    const waiting = waitFor(informer, running, { timeoutMs: 60_000 }).then((pod) => {
      result = pod as TestPod;
    });
    await settle(() => informer.store.list().length === 1);
    expect(result).toBeUndefined();
    api.update(testPods, { ...created, status: { phase: 'Running' } });
    await waiting;
    expect(result?.status?.phase).toBe('Running');
    stop.abort();
  });

  it('rejects with WaitTimeoutError after timeoutMs on the informer clock, not before', async () => {
    const { clock, informer, stop } = await startedInformer();
    let outcome: unknown;
    const waiting = waitFor(informer, running, { timeoutMs: 5000 }).then(
      () => 'resolved',
      (error: unknown) => error,
    );
    void waiting.then((value) => {
      outcome = value;
    });
    clock.advance(4999);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(outcome).toBeUndefined();
    clock.advance(1);
    const error = await waiting;
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({ code: 'KI_WAIT_TIMEOUT', timeoutMs: 5000 });
    stop.abort();
  });

  it('rejects with the reason when the signal aborts, and leaves no handler or timer behind', async () => {
    const handlers = new Set<ResourceEventHandler<TestPod>>();
    const clock = new ManualClock();
    const source = {
      clock,
      addEventHandler(handler: ResourceEventHandler<TestPod>) {
        handlers.add(handler);
        const remove = () => {
          handlers.delete(handler);
        };
        return { hasSynced: () => true, remove, [Symbol.dispose]: remove };
      },
    };
    const stop = new AbortController();
    const waiting = waitFor(source, running, { signal: stop.signal, timeoutMs: 1000 });
    expect(handlers.size).toBe(1);
    stop.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    expect(handlers.size).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    // A condition that throws rejects with its error and cleans up too.
    const failing = waitFor(source, () => {
      throw new Error('bad condition');
    });
    for (const handler of handlers) handler.onAdd?.({}, { isInInitialList: false });
    await expect(failing).rejects.toThrow('bad condition');
    expect(handlers.size).toBe(0);
    // An already aborted signal rejects without subscribing.
    await expect(waitFor(source, running, { signal: stop.signal })).rejects.toThrow('gave up');
    expect(handlers.size).toBe(0);
  });

  it('narrows the result with a type guard', async () => {
    const { api, informer, stop } = await startedInformer();
    api.create(testPods, { metadata: { name: 'p1', namespace: 'default', labels: { app: 'web' } } });
    await settle(() => informer.store.list().length === 1);
    const pod = await waitFor(
      informer,
      (candidate): candidate is typeof candidate & { metadata: { labels: { app: string } } } =>
        candidate.metadata?.labels?.app !== undefined,
    );
    expect(pod.metadata.labels.app).toBe('web');
    stop.abort();
  });
});
