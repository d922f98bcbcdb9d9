import {
  createInformerFactory,
  type KubeInformersError,
  type KubeObject,
  type StorageMode,
} from '@kubeinformers/core';
import { configMaps, pods } from '@kubeinformers/k8s-client-adapter';
import { SeededRandom } from '@kubeinformers/testing';
import { type ObservedInformer, observeInformer, waitForConvergence } from '../convergence.js';
import { EventSequenceChecker } from '../event-sequence-checker.js';
import { startFakeCluster } from '../fake-cluster.js';
import type { RequestCounts } from '../observed-transport.js';
import { scaledClock } from '../scaled-clock.js';
import { type ChaosFaultKind, ChaosFaults } from './chaos-faults.js';
import { ChaosWorkload, tierLabel } from './chaos-workload.js';

export interface ChaosOptions {
  readonly seed: number;
  /** Writes in total. */
  readonly mutations: number;
  /** Quiescence checks spread over the run, the last one at the end; default one per 850 writes, at least 4. */
  readonly checkpoints?: number;
  /** Chance of a fault after each batch of writes; default 0.3. */
  readonly faultProbability?: number;
  /** Real time allowed for each convergence; default 20 s. */
  readonly convergenceDeadlineMs?: number;
  /** What every informer's cache keeps (`InformerOptions.storage`); default `'objects'`. */
  readonly storage?: StorageMode;
}

export interface ChaosReport {
  readonly seed: number;
  readonly mutations: number;
  readonly checkpoints: number;
  readonly faults: Readonly<Record<ChaosFaultKind, number>>;
  /** Each fault and the number of writes before it; the same for every run of a seed. */
  readonly faultSequence: readonly string[];
  readonly requests: Readonly<RequestCounts>;
  /** Handler events delivered, all informers together. */
  readonly events: number;
  /** Every error the informers reported, in order. */
  readonly errors: readonly KubeInformersError[];
  /** Per-object event contract violations; empty when the run passed. */
  readonly violations: readonly string[];
  /** The bearer token the run authenticated with, to search the errors for. */
  readonly token: string;
  readonly durationMs: number;
}

/** How much faster than real time the informers' clock runs: 30 s of backoff take 300 ms. */
const clockSpeedup = 100;
const impatientClockSpeedup = 1_000;
const namespaces = ['chaos-0', 'chaos-1', 'chaos-2', 'chaos-3'];

/**
 * One seeded chaos run over real HTTP: a fake API server, five informers through
 * `kubeConfigTransport` (all pods; pods with `tier=frontend`; pods of one namespace; all config maps;
 * config maps of one namespace by streaming list),
 * a random workload interleaved with random faults, and at each checkpoint the faults lifted and every
 * informer required to converge to the server's truth. Rejects with the seed in the message when an
 * informer does not converge; per-object event violations are returned in the report.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const started = performance.now();
  const random = new SeededRandom(options.seed);
  const jitter = new SeededRandom(options.seed ^ 0x9e3779b9);
  // Faults pile up between checkpoints (armed failures wait for requests to consume them): one every
  // ~850 writes keeps a long run as hostile as a short one instead of failing nearly every request.
  const checkpoints = options.checkpoints ?? Math.max(4, Math.round(options.mutations / 850));
  const faultProbability = options.faultProbability ?? 0.3;
  const deadlineMs = options.convergenceDeadlineMs ?? 20_000;
  const errors: KubeInformersError[] = [];

  // A short history makes compaction happen on its own too, as on a busy real server.
  const cluster = await startFakeCluster({
    tokenPrefix: 'chaos',
    watchHistorySize: 300,
    bookmarkIntervalMs: 500,
  });
  const { server, token, transport } = cluster;
  const controller = new AbortController();
  const factory = createInformerFactory(transport, {
    clock: scaledClock(clockSpeedup),
    // Jitter from the seed too, but from its own stream: the informers draw at moments that depend on
    // timing, and must not shift the workload's and the faults' sequence, which a replay reproduces.
    random: () => jitter.next(),
    // Small pages: every relist is paginated, with a page prefetched and continue tokens to expire.
    pageSize: 7,
    storage: options.storage,
    onError: (error) => errors.push(error),
  });
  // A clock ten times faster again: idle watches outlive their stall limit (0.3–0.6 s here) and are
  // cut and resumed by the stall guard all along, and list pages may be declared stalled under load.
  const impatientFactory = createInformerFactory(transport, {
    clock: scaledClock(impatientClockSpeedup),
    random: () => jitter.next(),
    pageSize: 7,
    storage: options.storage,
    onError: (error) => errors.push(error),
  });
  const selection = (namespace?: string, labelSelector?: string) => () =>
    server.store.list<KubeObject>('pods', {
      ...(namespace === undefined ? {} : { namespace }),
      ...(labelSelector === undefined ? {} : { labelSelector }),
    });
  const frontend = `${tierLabel}=frontend`;
  const observed: ObservedInformer[] = [
    observeInformer('all pods', factory.informerFor(pods), selection()),
    observeInformer(
      'frontend pods',
      factory.informerFor(pods, { labelSelector: frontend }),
      selection(undefined, frontend),
    ),
    observeInformer(
      'chaos-1 pods',
      factory.informerFor(pods, { namespace: 'chaos-1' }),
      selection('chaos-1'),
    ),
    observeInformer('config maps', factory.informerFor(configMaps), () =>
      server.store.list<KubeObject>('configmaps'),
    ),
    // Snapshots by streaming list (sendInitialEvents) instead of paginated lists.
    observeInformer(
      'chaos-2 config maps, streamed',
      factory.informerFor(configMaps, {
        namespace: 'chaos-2',
        streamingInitialList: true,
      }),
      () => server.store.list<KubeObject>('configmaps', { namespace: 'chaos-2' }),
    ),
  ];
  observed.push(
    observeInformer(
      'chaos-3 pods, metadata only',
      factory.informerFor(pods, {
        namespace: 'chaos-3',
        metadataOnly: true,
      }),
      () =>
        server.store.list<KubeObject>('pods', { namespace: 'chaos-3' }).map(({ metadata }) => ({ metadata })),
    ),
    observeInformer('config maps, impatient clock', impatientFactory.informerFor(configMaps), () =>
      server.store.list<KubeObject>('configmaps'),
    ),
  );
  const workload = new ChaosWorkload(server.store, random, namespaces);
  const faults = new ChaosFaults(server, transport, random, () => workload.mutations);
  try {
    factory.start(controller.signal);
    impatientFactory.start(controller.signal);
    for (let checkpoint = 1; checkpoint <= checkpoints; checkpoint += 1) {
      const target = Math.round((options.mutations * checkpoint) / checkpoints);
      while (workload.mutations < target) {
        const batch = Math.min(random.integer(1, 40), target - workload.mutations);
        for (let index = 0; index < batch; index += 1) workload.step();
        await faults.afterBatch(faultProbability);
        // Between batches the informers get a few milliseconds, as a real workload leaves them: enough
        // to apply events between faults, not enough to keep up every time.
        await new Promise((resolve) => setTimeout(resolve, random.integer(0, 4)));
      }
      faults.settle();
      try {
        await waitForConvergence(server, observed, deadlineMs);
      } catch (error) {
        throw new Error(
          `chaos seed ${options.seed} (${options.mutations} mutations), checkpoint ${checkpoint}/${checkpoints} after ${workload.mutations} mutations: ${(error as Error).message}`,
        );
      }
      if (checkpoint === 1) {
        // A handler added to a synced, running informer gets the cache replayed as adds, then events;
        // this one also gets a resync (every 30 simulated seconds) interleaved with them.
        const allPods = observed[0] as ObservedInformer;
        const checker = new EventSequenceChecker('all pods, late handler with resync');
        allPods.informer.addEventHandler(checker.handler, { resyncPeriodMs: 30_000 });
        observed.push({ ...allPods, name: checker.name, checker });
      }
    }
  } finally {
    controller.abort();
    await impatientFactory.shutdown();
    await factory.shutdown();
    await cluster.close();
  }
  return {
    seed: options.seed,
    mutations: workload.mutations,
    checkpoints,
    faults: faults.injected,
    faultSequence: faults.sequence,
    requests: { ...transport.counts },
    events: observed.reduce((sum, { checker }) => sum + checker.events, 0),
    errors,
    violations: observed.flatMap(({ checker }) => checker.violations),
    token,
    durationMs: Math.round(performance.now() - started),
  };
}
