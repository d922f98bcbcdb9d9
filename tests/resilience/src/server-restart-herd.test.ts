import {
  createInformerFactory,
  defineResource,
  type KubeObject,
  ManualClock,
  type SharedInformer,
} from '@kubeinformers/core';
import { SeededRandom } from '@kubeinformers/testing';
import { describe, expect, it } from 'vitest';
import { InMemoryApi } from '../../../packages/core/src/test-support/in-memory-api.js';
import { FaultInjectingTransport } from './fault-injecting-transport.js';
import { runUntil } from './run-until.js';

const pods = defineResource<KubeObject>({
  group: '',
  version: 'v1',
  resource: 'pods',
  kind: 'Pod',
  namespaced: true,
});
const informerCount = 20;
/** Long enough for every informer to be a few doubled steps into its backoff (0.8, 1.6, 3.2 s ±50 %). */
const downtimeMs = 5_000;
const seeds = Array.from({ length: 20 }, (_, index) => index + 1);

interface HerdReport {
  readonly seed: number;
  /** Requests the factory sent in the first second after the server came back. */
  readonly firstSecondRequests: number;
  /** From the server coming back until every informer held its truth, watching, with no failure left. */
  readonly convergedMs: number;
}

/**
 * One factory with 20 informers (pods in 20 namespaces), synced and watching, on a `ManualClock`, against
 * core's in-memory API behind `FaultInjectingTransport`. The server goes down for 5 s (every watch cut,
 * every request refused) and comes back with its history (a watch from the last version is accepted);
 * one pod per namespace changes as it comes back.
 */
async function serverRestart(seed: number): Promise<HerdReport> {
  const random = new SeededRandom(seed);
  const clock = new ManualClock();
  const api = new InMemoryApi(clock);
  const transport = new FaultInjectingTransport(api, clock);
  const namespaces = Array.from({ length: informerCount }, (_, index) => `herd-${index}`);
  for (const namespace of namespaces) {
    for (const name of ['a', 'b']) api.create(pods, { metadata: { namespace, name } });
  }
  const factory = createInformerFactory(transport, {
    clock,
    random: () => random.next(),
    onError: () => undefined,
  });
  const informers = namespaces.map((namespace) => factory.informerFor(pods, { namespace }));
  const controller = new AbortController();
  try {
    factory.start(controller.signal);
    const synced = () => informers.every((informer) => informer.hasSynced());
    if (!(await runUntil(clock, synced, clock.now() + 10_000))) throw new Error(`seed ${seed}: no sync`);
    await runUntil(clock, () => false, clock.now() + 1_000);

    transport.serverDown(downtimeMs);
    await runUntil(clock, () => false, transport.upAt);
    const upAt = clock.now();
    const requestsBefore = transport.log.length;
    for (const namespace of namespaces) {
      const [pod] = api.list(pods).filter((object) => object.metadata?.namespace === namespace);
      api.update(pods, { ...pod, metadata: { ...pod?.metadata, labels: { restarted: 'yes' } } });
    }
    const converged = () =>
      informers.every((informer, index) => current(informer, api, namespaces[index] as string));
    if (!(await runUntil(clock, converged, upAt + 60_000)))
      throw new Error(`seed ${seed}: no convergence within 60 s of the server coming back`);
    const convergedMs = clock.now() - upAt;
    const firstSecondRequests = transport.log
      .slice(requestsBefore)
      .filter((entry) => entry.at < upAt + 1_000).length;
    return { seed, firstSecondRequests, convergedMs };
  } finally {
    controller.abort();
    const shutdown = factory.shutdown();
    await runUntil(clock, () => false, clock.now());
    await shutdown;
  }
}

/** The informer holds the namespace's pods at their versions, watches, and has no failure left. */
function current(informer: SharedInformer<KubeObject>, api: InMemoryApi, namespace: string): boolean {
  const health = informer.health();
  if (health.phase !== 'watching' || health.consecutiveFailures !== 0) return false;
  const truth = api.list(pods).filter((pod) => pod.metadata?.namespace === namespace);
  const held = informer.store.list();
  return (
    held.length === truth.length &&
    truth.every(
      (pod) =>
        informer.store.get(namespace, pod.metadata?.name ?? '')?.metadata?.resourceVersion ===
        pod.metadata?.resourceVersion,
    )
  );
}

describe('after a server restart, one factory with 20 informers (simulated time)', () => {
  it(`sends at most 25 requests in the first second and converges within 2 s (seeds ${seeds[0]}..${seeds.at(-1)})`, {
    timeout: 60_000,
  }, async () => {
    const reports: HerdReport[] = [];
    for (const seed of seeds) reports.push(await serverRestart(seed));
    console.info(
      `server restart herd, ${informerCount} informers, ${downtimeMs / 1000} s down: ${reports
        .map(
          (report) =>
            `seed ${report.seed}: ${report.firstSecondRequests} requests in the first second, converged in ${(report.convergedMs / 1000).toFixed(2)} s`,
        )
        .join('; ')}`,
    );
    for (const report of reports) {
      expect(report.firstSecondRequests, `seed ${report.seed}`).toBeLessThanOrEqual(25);
      expect(report.convergedMs, `seed ${report.seed}`).toBeLessThanOrEqual(2_000);
    }
  });
});
