import {
  ApiServerError,
  createBackoffPolicy,
  createInformerFactory,
  type InformerFactory,
  type KubeInformersError,
  type KubeObject,
  ManualClock,
  type SharedInformer,
  TooManyRequestsError,
  type Transport,
} from '@kubeinformers/core';
import { type KubeConfigTransport, kubeConfigTransport, pods } from '@kubeinformers/k8s-client-adapter';
import { FakeApiServer } from '@kubeinformers/testing';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ObservedTransport } from './observed-transport.js';

const bounded = { timeout: 10_000, interval: 2 };
/** client-go's numbers, the factory's default; jitter included (random is a constant, not 0.5). */
const policy = createBackoffPolicy();
const random = () => 0.8;
/** No backoff or Retry-After wait is longer; longer timers are stall guards of requests in flight. */
const longestBackoffMs = policy.maxDelayMs;

let server: FakeApiServer;
let adapter: KubeConfigTransport;
let clock: ManualClock;
let factory: InformerFactory | undefined;
let controller: AbortController;
let errors: KubeInformersError[];

beforeEach(async () => {
  server = await FakeApiServer.start({ tls: true, tokens: ['storm-token'] });
  server.store.create('pods', podObject('first'));
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(server.kubeconfig());
  adapter = kubeConfigTransport(kubeConfig);
  clock = new ManualClock();
  controller = new AbortController();
  errors = [];
});

afterEach(async () => {
  controller.abort();
  await factory?.shutdown();
  factory = undefined;
  await adapter.close();
  await server.close();
});

function podObject(name: string): KubeObject {
  return {
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] },
  } as KubeObject;
}

function startInformer(transport: Transport): SharedInformer<KubeObject> {
  factory = createInformerFactory(transport, { clock, random, onError: (error) => errors.push(error) });
  const informer = factory.informerFor(pods) as unknown as SharedInformer<KubeObject>;
  factory.start(controller.signal);
  return informer;
}

/** The waits the policy prescribes for failures that keep coming, until `windowMs` has passed. */
function scheduleWithin(windowMs: number): number[] {
  const delays: number[] = [];
  let state: Parameters<typeof policy.next>[0];
  let now = 0;
  for (;;) {
    const step = policy.next(state, now, random);
    if (now + step.delayMs > windowMs) return delays;
    delays.push(step.delayMs);
    state = step.state;
    now += step.delayMs;
  }
}

/** Resolves once the loop sleeps on a backoff timer (the only timer pending). */
async function backingOff(): Promise<number> {
  await vi.waitFor(() => {
    expect(clock.pendingTimers).toBe(1);
    expect(clock.nextTimerDelay).toBeLessThanOrEqual(longestBackoffMs);
  }, bounded);
  return clock.nextTimerDelay as number;
}

/**
 * Drives simulated time from one backoff timer to the next while `requests()` grows by exactly one per
 * timer, until the next retry would fall after `windowMs`; returns the waits observed.
 */
async function followBackoff(requests: () => number, windowMs: number): Promise<number[]> {
  const delays: number[] = [];
  for (;;) {
    const delay = await backingOff();
    if (clock.now() + delay > windowMs) return delays;
    const before = requests();
    clock.advance(delay);
    delays.push(delay);
    await vi.waitFor(() => expect(requests()).toBe(before + 1), bounded);
  }
}

/** Fires backoff timers (never stall guards) as the loop sets them, until `done()` holds. */
async function advanceBackoffUntil(done: () => boolean): Promise<void> {
  for (let step = 0; step < 10; step += 1) {
    await vi.waitFor(() => {
      if (done()) return;
      expect(clock.pendingTimers).toBe(1);
      expect(clock.nextTimerDelay).toBeLessThanOrEqual(longestBackoffMs);
    }, bounded);
    if (done()) return;
    clock.advance(clock.nextTimerDelay as number);
  }
  expect(done()).toBe(true);
}

describe('no request storms', () => {
  it('a server answering 500 for 60 simulated seconds gets exactly the requests the backoff schedule allows', async () => {
    server.faults.failNextRequests({ verb: 'list', status: 500, count: 1_000 });
    const transport = new ObservedTransport(adapter);
    const informer = startInformer(transport);

    const delays = await followBackoff(() => transport.counts.lists, 60_000);

    const expected = scheduleWithin(60_000);
    expect(delays).toEqual(expected);
    // The first attempt plus one per wait. With client-go's numbers and +30 % jitter the waits are
    // 1.04, 2.08, 4.16, 8.32, 16.64 s (and 30 s, past the minute): 6 requests in a minute.
    expect(transport.counts.lists).toBe(1 + expected.length);
    expect(transport.counts.lists).toBe(6);
    expect(errors).toHaveLength(transport.counts.lists);
    expect(errors.every((error) => error instanceof ApiServerError)).toBe(true);
    // The server recovers; the next scheduled attempt lists successfully, and nothing more is asked.
    server.faults.clear();
    clock.advance(await backingOff());
    await vi.waitFor(() => expect(informer.hasSynced()).toBe(true), bounded);
    expect(transport.counts.lists).toBe(7);
    expect(transport.counts.listContinuations).toBe(0);
  });

  it('429 with Retry-After: the informer waits what the server asks, not its shorter backoff', async () => {
    server.faults.failNextRequests({ verb: 'list', status: 429, retryAfterSeconds: 20, count: 2 });
    const transport = new ObservedTransport(adapter);
    const informer = startInformer(transport);

    const delays: number[] = [];
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      await vi.waitFor(() => expect(errors).toHaveLength(attempt), bounded);
      const delay = await backingOff();
      delays.push(delay);
      clock.advance(delay);
    }
    await vi.waitFor(() => expect(informer.hasSynced()).toBe(true), bounded);
    // The backoff alone would have waited 1.04 s, then 2.08 s.
    expect(delays).toEqual([20_000, 20_000]);
    expect(transport.counts.lists).toBe(3);
    expect(errors.every((error) => error instanceof TooManyRequestsError)).toBe(true);
    expect(errors.map((error) => (error as TooManyRequestsError).retryAfterSeconds)).toEqual([20, 20]);
  });

  for (const form of ['an ERROR event', 'an HTTP status'] as const) {
    it(`a watch expired with ${form} (410) leads to exactly one relist`, async () => {
      const transport = new ObservedTransport(adapter);
      const informer = startInformer(transport);
      // Established on the server's side, so the fault below hits the next watch, not this one.
      await vi.waitFor(() => expect(server.watches.size).toBe(1), bounded);
      expect(transport.counts.watches).toBe(1);
      expect(transport.counts.lists).toBe(1);

      if (form === 'an HTTP status') {
        server.faults.failNextRequests({ verb: 'watch', status: 410, reason: 'Expired' });
        server.store.create('pods', podObject('second'));
        server.faults.closeWatches();
      } else {
        // The informer misses a write, then the history it would resume from is compacted away.
        server.faults.stallWatches();
        server.store.create('pods', podObject('second'));
        server.faults.compact();
        server.faults.closeWatches({ abrupt: true });
        server.faults.resumeWatches();
      }
      // A relist right after a watch that delivered nothing waits one backoff step first.
      await advanceBackoffUntil(() => transport.counts.watches === 3);
      await vi.waitFor(() => expect(informer.store.getByKey('default/second')).toBeDefined(), bounded);
      expect(transport.counts.lists).toBe(2);

      // An hour of simulated time on the new watch: stall guards fire and rewatch, nothing relists.
      for (let minute = 0; minute < 60; minute += 1) {
        clock.advance(60_000);
        await vi.waitFor(() => expect(clock.pendingTimers).toBeGreaterThan(0), bounded);
      }
      server.store.create('pods', podObject('third'));
      await vi.waitFor(() => expect(informer.store.getByKey('default/third')).toBeDefined(), bounded);
      expect(transport.counts.lists).toBe(2);
    });
  }

  it('a watch that ends at once without events backs off instead of spinning', async () => {
    const observed = new ObservedTransport(adapter);
    let emptyWatches = 0;
    // Every watch is answered 200 and ended before any event, as by a misbehaving proxy.
    const transport: Transport = {
      async request(request) {
        if (request.query?.watch !== 'true') return observed.request(request);
        emptyWatches += 1;
        const body = (async function* (): AsyncGenerator<Uint8Array> {})();
        return { status: 200, headers: { 'content-type': 'application/json' }, body };
      },
    };
    const informer = startInformer(transport);
    await vi.waitFor(() => expect(informer.hasSynced()).toBe(true), bounded);

    const delays = await followBackoff(() => emptyWatches, 60_000);

    expect(delays).toEqual(scheduleWithin(60_000));
    expect(emptyWatches).toBe(6);
    expect(observed.counts.lists).toBe(1);
  });
});
