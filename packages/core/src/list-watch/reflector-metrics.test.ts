import { expect, it } from 'vitest';
import { createInformerFactory } from '../informer/informer-factory.js';
import type { Transport } from '../protocol/transport.js';
import { InMemoryApi } from '../test-support/in-memory-api.js';
import { settle } from '../test-support/settle.js';
import { testPods } from '../test-support/test-resources.js';
import { ManualClock } from '../time/manual-clock.js';
import type { ReflectorMetrics } from './reflector-metrics.js';

it('calls the reflector metric hooks for lists, relists, watches and why they ended, events and backoff', async () => {
  const clock = new ManualClock();
  const api = new InMemoryApi(clock);
  for (const name of ['p1', 'p2']) api.create(testPods, { metadata: { name, namespace: 'default' } });
  let failingWatches = 0;
  const transport: Transport = {
    request(request) {
      if (request.query?.watch === 'true' && failingWatches > 0) {
        failingWatches -= 1;
        return Promise.reject(new TypeError('fetch failed'));
      }
      return api.request(request);
    },
  };
  const calls: string[] = [];
  const names: string[] = [];
  const metrics: ReflectorMetrics = {
    listed: (objects, durationMs, relist) =>
      calls.push(`listed ${objects} ${relist ? 'relist' : 'initial'} ${durationMs >= 0}`),
    watchOpened: () => calls.push('watchOpened'),
    watchEnded: (reason) => calls.push(`watchEnded ${reason}`),
    watchEvent: (type) => calls.push(`event ${type}`),
    backoff: (delayMs) => calls.push(`backoff ${delayMs > 0}`),
  };
  const factory = createInformerFactory(transport, {
    clock,
    random: () => 0.5,
    onError: () => {},
    reflectorMetrics: (name) => {
      names.push(name);
      return metrics;
    },
  });
  const informer = factory.informerFor(testPods);
  const stop = new AbortController();
  factory.start(stop.signal);
  await settle(() => calls.includes('watchOpened'));
  api.create(testPods, { metadata: { name: 'p3', namespace: 'default' } });
  api.bookmark();
  await settle(() => calls.includes('event BOOKMARK'));
  // A clean end of the stream (the server's timeout): rewatch at once.
  api.dropWatches();
  await settle(() => calls.filter((call) => call === 'watchOpened').length === 2);
  // The quick empty watch waits, then its rewatch fails on the network: two backoffs. Meanwhile a change
  // and a compaction make the version the informer holds too old: the next watch opens and ends with a
  // 410 ERROR event, as the API server does, and the informer relists.
  failingWatches = 1;
  api.dropWatches();
  await settle(() => calls.includes('backoff true'));
  api.create(testPods, { metadata: { name: 'p4', namespace: 'default' } });
  api.compact();
  await settle(() => calls.filter((call) => call === 'watchOpened').length === 4, { clock, stepMs: 100 });
  stop.abort();
  await settle(() => calls.at(-1) === 'watchEnded stopped');
  expect(names).toEqual(['pods']);
  expect(informer.store.size).toBe(4);
  expect(calls).toEqual([
    'listed 2 initial true',
    'watchOpened',
    'event ADDED',
    'event BOOKMARK',
    'watchEnded closed',
    'watchOpened',
    'watchEnded closed',
    'backoff true',
    'backoff true',
    'watchOpened',
    'watchEnded KI_WATCH_EXPIRED',
    'listed 4 relist true',
    'watchOpened',
    'watchEnded stopped',
  ]);
});
