import { describe, expect, it } from 'vitest';
import { createController } from '../../controller/controller.js';
import { createInformerFactory } from '../../informer/informer-factory.js';
import { InMemoryApi } from '../../test-support/in-memory-api.js';
import { type TestPod, testPods } from '../../test-support/test-resources.js';
import { sleep } from '../../time/clock.js';
import { ManualClock } from '../../time/manual-clock.js';
import { InMemoryMemberLeases } from './in-memory-member-leases.js';
import { RangeOwnership } from './range-ownership.js';
import { ShardedPrimary, unownedShardSelector } from './sharded-primary.js';

const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

interface Span {
  readonly replica: string;
  readonly key: string;
  readonly version: string;
  readonly start: number;
  end: number | undefined;
}

describe('ShardedPrimary', () => {
  it.each([true, false])(
    'replicas split a controller’s keys, hand them over on a join and a stop, and never reconcile one key at once (server filtering: %s)',
    async (serverFilters) => {
      const api = new InMemoryApi();
      api.shardedListAndWatch = serverFilters;
      for (let index = 0; index < 120; index++) {
        api.create(testPods, { metadata: { name: `pod-${index}`, namespace: 'default' } });
      }
      const clock = new ManualClock(1000);
      const leases = new InMemoryMemberLeases();
      const spans: Span[] = [];
      const stopAll = new AbortController();
      const replica = (identity: string) => {
        const stop = new AbortController();
        const signal = AbortSignal.any([stop.signal, stopAll.signal]);
        const factory = createInformerFactory(api);
        const informer = factory.informerFor(testPods, { shardSelector: unownedShardSelector });
        factory.start(signal);
        const ownership = new RangeOwnership({
          identity,
          leases,
          view: leases.view(),
          clock,
          onError: () => {},
        });
        const primary = new ShardedPrimary(informer, ownership);
        const controller = createController<TestPod>({
          name: identity,
          primary,
          clock,
          workers: 8,
          reconcile: primary.reconcileOwned(async (key, context) => {
            const pod = informer.store.getByKey(key);
            if (pod !== undefined) ownership.assertOwns(pod);
            const span: Span = {
              replica: identity,
              key,
              version: pod?.metadata?.resourceVersion ?? 'deleted',
              start: clock.now(),
              end: undefined,
            };
            spans.push(span);
            try {
              // Work that does not stop when asked (the signal is ignored): handover must wait for it.
              void context;
              await sleep(clock, 200, new AbortController().signal);
            } finally {
              span.end = clock.now();
            }
          }),
          onError: () => {},
        });
        const running = Promise.all([ownership.run(signal), controller.run(signal)]);
        return { ownership, primary, stop, running, informer };
      };
      const advance = async (ms: number) => {
        for (let moved = 0; moved < ms; moved += 50) {
          clock.advance(50);
          for (let index = 0; index < 4; index++) await turn();
        }
      };
      /** Each pod's latest version was reconciled, by its current owner. */
      const converged = (owners: ReturnType<typeof replica>[]) =>
        api.list(testPods).every((pod) => {
          const last = spans.findLast((span) => span.key === `default/${pod.metadata?.name}`);
          return (
            last !== undefined &&
            last.version === pod.metadata?.resourceVersion &&
            last.end !== undefined &&
            owners.some((owner) => owner.ownership.identity === last.replica && owner.ownership.owns(pod))
          );
        });
      const churn = () => {
        for (const pod of api.list(testPods)) {
          api.update(testPods, { ...pod, metadata: { ...pod.metadata, labels: { v: `${clock.now()}` } } });
        }
      };
      const a = replica('a');
      await advance(5000);
      expect(converged([a])).toBe(true);
      // b joins while a's queue is full and its workers busy.
      churn();
      await advance(100);
      const b = replica('b');
      await advance(6000);
      // b reconciled its share after it joined; a kept the rest.
      expect(converged([a, b])).toBe(true);
      expect(b.primary.readyRanges.length).toBeGreaterThan(0);
      if (serverFilters) {
        // Each replica's cache holds only its own share.
        expect(b.informer.store.list().length + a.informer.store.list().length).toBe(120);
      }
      // Every pod changes, then a stops cleanly while busy and b takes everything over.
      churn();
      await advance(100);
      a.stop.abort();
      await advance(6000);
      expect(converged([b])).toBe(true);
      // Never two reconciles of one key by two replicas at overlapping times.
      for (const span of spans) {
        for (const other of spans) {
          if (other === span || other.key !== span.key || other.replica === span.replica) continue;
          const overlap =
            span.start < (other.end ?? Number.POSITIVE_INFINITY) &&
            other.start < (span.end ?? Number.POSITIVE_INFINITY);
          expect(overlap, `${JSON.stringify(span)} and ${JSON.stringify(other)}`).toBe(false);
        }
      }
      stopAll.abort();
      await advance(200);
      await Promise.all([a.running, b.running]);
    },
  );
});
