import { createInformerFactory, type KubeObject } from '@kubeinformers/core';
import { configMaps, pods } from '@kubeinformers/k8s-client-adapter';
import { SeededRandom } from '@kubeinformers/testing';
import { divergence, type ObservedInformer, observeInformer } from '../convergence.js';
import { FailureTrail } from '../failure-trail.js';
import { startFakeCluster } from '../fake-cluster.js';
import { scaledClock } from '../scaled-clock.js';
import { ChaosWorkload } from './chaos-workload.js';
import { describeHealth, type FaultBurstReport } from './fault-burst-report.js';

export interface FaultBurstOptions {
  readonly seed: number;
  /** Length of the burst on the informers' clock; default 10 s. */
  readonly burstMs?: number;
}

/**
 * How much faster than real time both the informers and the server run: none. Loopback I/O (and any CPU
 * the machine withholds) would count this many times over on their clock and swamp what is measured,
 * the informers' decisions: at 10× on a busy machine, a relist taking 200 ms would count 2 s.
 */
const speedup = 1;
/** The API server's watch cache bookmarks every minute; every second makes the stall bound short. */
const bookmarkIntervalMs = 1_000;
const namespaces = ['burst-0', 'burst-1', 'burst-2'];
const streamFaultKinds = ['drop', 'stall', 'corruptLine', 'expired', 'serverDown'] as const;

/**
 * A dense fault burst, then the time to recover: about one stream fault per second (watches dropped,
 * stalled, cut by a corrupt line, expired with 410, the server down for up to a second) and 15 % of
 * requests failed (500, 503, or 429 with `Retry-After: 1`) and 15 % delayed (up to 1 s), while writes go
 * on; then faults and writes stop, and the clock runs until every informer holds exactly the server's
 * objects at its resourceVersion. Server and informers share one clock (real time): timings (backoff,
 * bookmarks every second, stall bounds, injected delays) are production timings.
 */
export async function runFaultBurst(options: FaultBurstOptions): Promise<FaultBurstReport> {
  const random = new SeededRandom(options.seed);
  const jitter = new SeededRandom(options.seed ^ 0x5bd1e995);
  // Requests come at moments that depend on timing: their faults draw from a stream of their own.
  const requestFaults = new SeededRandom(options.seed ^ 0x27d4eb2f);
  const burstMs = options.burstMs ?? 10_000;
  const clock = scaledClock(speedup);
  const cluster = await startFakeCluster({
    tokenPrefix: 'burst',
    watchHistorySize: 500,
    bookmarkIntervalMs,
    clock,
  });
  const { server, transport } = cluster;
  const workload = new ChaosWorkload(server.store, random, namespaces);
  for (let write = 0; write < 200; write += 1) workload.step();
  const controller = new AbortController();
  const factory = createInformerFactory(transport, {
    clock,
    random: () => jitter.next(),
    onError: () => undefined,
  });
  const observed: ObservedInformer[] = [
    observeInformer('all pods', factory.informerFor(pods), () => server.store.list<KubeObject>('pods')),
    observeInformer('burst-1 pods', factory.informerFor(pods, { namespace: 'burst-1' }), () =>
      server.store.list<KubeObject>('pods', { namespace: 'burst-1' }),
    ),
    observeInformer('config maps', factory.informerFor(configMaps), () =>
      server.store.list<KubeObject>('configmaps'),
    ),
    observeInformer(
      'burst-2 config maps, streamed',
      factory.informerFor(configMaps, { namespace: 'burst-2', streamingInitialList: true }),
      () => server.store.list<KubeObject>('configmaps', { namespace: 'burst-2' }),
    ),
  ];
  const streamFaults: string[] = [];
  const trails = observed.map(({ informer }) => new FailureTrail(informer, clock));
  try {
    factory.start(controller.signal);
    await factory.waitForCacheSync(AbortSignal.timeout(10_000));
    const requestsBefore = totalRequests(transport.counts);
    const burstStart = clock.now();
    let faulting = true;
    transport.beforeRequest = () => {
      if (!faulting) return;
      const roll = requestFaults.next();
      if (roll < 0.15) {
        const status = requestFaults.pick([500, 503, 429] as const);
        server.faults.failNextRequests(status === 429 ? { status, retryAfterSeconds: 1 } : { status });
      } else if (roll < 0.3) {
        server.faults.delayResponses({ delayMs: requestFaults.integer(50, 1_000), count: 1 });
      }
    };
    let nextStreamFault = burstStart + random.integer(500, 1_500);
    while (clock.now() - burstStart < burstMs) {
      for (let write = random.integer(0, 3); write > 0; write -= 1) workload.step();
      if (clock.now() >= nextStreamFault) {
        const kind = random.pick(streamFaultKinds);
        streamFaults.push(`${kind}@${Math.round(clock.now() - burstStart)}`);
        await injectStreamFault(server.faults, kind, random);
        nextStreamFault = clock.now() + random.integer(500, 1_500);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const burstRequests = totalRequests(transport.counts) - requestsBefore;
    const burstSeconds = (clock.now() - burstStart) / 1000;
    faulting = false;
    server.faults.clear();
    const faultsStopped = clock.now();
    const atFaultsStop = Object.fromEntries(
      observed.map(({ name, informer }, index) => [
        name,
        `${describeHealth(informer.health(), faultsStopped)}; since its last progress: ${trails[index]?.before(faultsStopped)}`,
      ]),
    );
    const convergenceMs = await convergenceTimes(server, observed, clock, options.seed);
    for (const [name, ms] of Object.entries(convergenceMs)) convergenceMs[name] = ms - faultsStopped;
    return {
      seed: options.seed,
      convergenceMs,
      requestsPerInformerPerSecond: burstRequests / observed.length / burstSeconds,
      streamFaults,
      atFaultsStop,
    };
  } finally {
    controller.abort();
    await factory.shutdown();
    await cluster.close();
  }
}

async function injectStreamFault(
  faults: Awaited<ReturnType<typeof startFakeCluster>>['server']['faults'],
  kind: (typeof streamFaultKinds)[number],
  random: SeededRandom,
): Promise<void> {
  switch (kind) {
    case 'drop':
      faults.resumeWatches();
      faults.closeWatches({ abrupt: random.chance(0.5) });
      break;
    case 'stall':
      // Black-holed until the next stream fault: the connections stay open and carry nothing.
      faults.stallWatches();
      break;
    case 'corruptLine':
      faults.resumeWatches();
      faults.corruptNextWatchLines(1);
      break;
    case 'expired':
      faults.resumeWatches();
      faults.compact();
      faults.closeWatches({ abrupt: random.chance(0.5) });
      break;
    case 'serverDown':
      faults.resumeWatches();
      await faults.restart({ downtimeMs: random.integer(100, 1_000) });
      break;
  }
}

function totalRequests(counts: {
  readonly lists: number;
  readonly listContinuations: number;
  readonly watches: number;
}): number {
  return counts.lists + counts.listContinuations + counts.watches;
}

/**
 * When each informer first holds exactly the server's objects at its resourceVersion (on `clock`); with
 * writes stopped, it then stays so. Asks for bookmarks meanwhile, as `waitForConvergence` does. Throws
 * after a minute of real time, naming what still differs.
 */
async function convergenceTimes(
  server: Awaited<ReturnType<typeof startFakeCluster>>['server'],
  observed: readonly ObservedInformer[],
  clock: { now(): number },
  seed: number,
): Promise<Record<string, number>> {
  const times: Record<string, number> = {};
  const deadline = performance.now() + 60_000;
  for (;;) {
    const problems: string[] = [];
    for (const informer of observed) {
      if (times[informer.name] !== undefined) continue;
      const differences = divergence(server, informer);
      if (differences.length === 0) times[informer.name] = clock.now();
      else problems.push(...differences);
    }
    if (problems.length === 0) return times;
    if (performance.now() > deadline) {
      throw new Error(
        `fault burst seed ${seed}: no convergence within 60 s:\n  ${problems.slice(0, 12).join('\n  ')}`,
      );
    }
    server.watches.sendBookmarks();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
