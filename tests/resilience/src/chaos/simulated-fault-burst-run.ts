import {
  createInformerFactory,
  type KubeObject,
  ManualClock,
  type ResourceDescriptor,
} from '@kubeinformers/core';
import { configMaps, namespaces as namespaceResource, pods } from '@kubeinformers/k8s-client-adapter';
import { SeededRandom } from '@kubeinformers/testing';
import { InMemoryApi } from '../../../../packages/core/src/test-support/in-memory-api.js';
import { divergence, type ObservedInformer, observeInformer } from '../convergence.js';
import { FailureTrail } from '../failure-trail.js';
import { FaultInjectingTransport, type RequestRecord } from '../fault-injecting-transport.js';
import { runUntil } from '../run-until.js';
import { type ChaosResource, ChaosWorkload, type WorkloadStore } from './chaos-workload.js';
import { describeHealth, type FaultBurstReport } from './fault-burst-report.js';

// Core's in-memory API is test support, outside core's published surface, so it is imported from the
// sources by path (as the conformance suite does): the burst runs against the fake core's own tests use.

export interface SimulatedFaultBurstOptions {
  readonly seed: number;
  /** Length of the burst in simulated time; default 10 s. */
  readonly burstMs?: number;
}

/** The API server's watch cache bookmarks every minute; every second makes the stall bound short. */
const bookmarkIntervalMs = 1_000;
/** Writes (0–3 of them) and a check for the next stream fault, every this much simulated time. */
const tickMs = 20;
/** After the faults stop, bookmarks this often tell every informer the current version at once. */
const settleBookmarkMs = 5;
/** Simulated time after the faults stop before a seed counts as never converging. */
const convergenceLimitMs = 60_000;
const namespaces = ['burst-0', 'burst-1', 'burst-2'];
const streamFaultKinds = ['drop', 'stall', 'corruptLine', 'expired', 'serverDown'] as const;
const descriptors: Readonly<Record<ChaosResource | 'namespaces', ResourceDescriptor<KubeObject>>> = {
  pods: pods as unknown as ResourceDescriptor<KubeObject>,
  configmaps: configMaps as unknown as ResourceDescriptor<KubeObject>,
  namespaces: namespaceResource as unknown as ResourceDescriptor<KubeObject>,
};

/**
 * The fault burst of `runFaultBurst` on simulated time: the real informer factory and reflectors, on a
 * `ManualClock`, against core's in-memory API behind a `FaultInjectingTransport` that injects the same
 * fault mix (a stream fault every 0.5–1.5 s: drops clean or abrupt, black holes until the next fault,
 * corrupt lines, compaction with the watches cut so they get 410, the server down 0.1–1 s; 15 % of
 * requests failed with 500/503/429 + `Retry-After: 1`, 15 % delayed 50–1000 ms) while writes go on.
 * Time moves only when every piece of work is waiting on a timer (the transport is in memory, so one
 * turn of the event loop runs everything that is ready), then jumps to the next timer: what is measured
 * is the informers' decisions alone (backoffs, retries, stall bounds), not I/O or a busy machine, and a
 * seed always gives the same numbers.
 */
export async function runSimulatedFaultBurst(options: SimulatedFaultBurstOptions): Promise<FaultBurstReport> {
  const random = new SeededRandom(options.seed);
  const jitter = new SeededRandom(options.seed ^ 0x5bd1e995);
  const requestFaults = new SeededRandom(options.seed ^ 0x27d4eb2f);
  const burstMs = options.burstMs ?? 10_000;
  const clock = new ManualClock();
  const api = new InMemoryApi(clock);
  const transport = new FaultInjectingTransport(api, clock);
  const workload = new ChaosWorkload(inMemoryStore(api), random, namespaces);
  for (let write = 0; write < 200; write += 1) workload.step();
  const factory = createInformerFactory(transport, {
    clock,
    random: () => jitter.next(),
    onError: () => undefined,
  });
  const inNamespace = (resource: ChaosResource, namespace: string) => () =>
    api.list(descriptors[resource]).filter((object) => object.metadata?.namespace === namespace);
  const observed: ObservedInformer[] = [
    observeInformer('all pods', factory.informerFor(pods), () => api.list(descriptors.pods)),
    observeInformer(
      'burst-1 pods',
      factory.informerFor(pods, { namespace: 'burst-1' }),
      inNamespace('pods', 'burst-1'),
    ),
    observeInformer('config maps', factory.informerFor(configMaps), () => api.list(descriptors.configmaps)),
    observeInformer(
      'burst-2 config maps, streamed',
      factory.informerFor(configMaps, { namespace: 'burst-2', streamingInitialList: true }),
      inNamespace('configmaps', 'burst-2'),
    ),
  ];
  const paths: Record<string, string> = {
    'all pods': '/api/v1/pods',
    'burst-1 pods': '/api/v1/namespaces/burst-1/pods',
    'config maps': '/api/v1/configmaps',
    'burst-2 config maps, streamed': '/api/v1/namespaces/burst-2/configmaps',
  };
  const controller = new AbortController();
  const timers = new Set<{ cancel(): void }>();
  const every = (intervalMs: number, action: () => void) => {
    const schedule = () => {
      const timer = clock.setTimeout(() => {
        timers.delete(timer);
        action();
        schedule();
      }, intervalMs);
      timers.add(timer);
    };
    schedule();
  };
  const stopTimers = () => {
    for (const timer of timers) timer.cancel();
    timers.clear();
  };
  try {
    every(bookmarkIntervalMs, () => api.bookmark());
    const trails = observed.map(({ informer }) => new FailureTrail(informer, clock));
    factory.start(controller.signal);
    const synced = () => observed.every(({ informer }) => informer.hasSynced());
    if (!(await runUntil(clock, synced, clock.now() + 60_000)))
      throw new Error(`simulated fault burst seed ${options.seed}: no initial sync within 60 s`);

    const burstStart = clock.now();
    const requestsBefore = transport.log.length;
    transport.requestFault = () => {
      const roll = requestFaults.next();
      if (roll < 0.15) {
        const status = requestFaults.pick([500, 503, 429] as const);
        return status === 429 ? { type: 'fail', status, retryAfterSeconds: 1 } : { type: 'fail', status };
      }
      if (roll < 0.3) return { type: 'delay', delayMs: requestFaults.integer(50, 1_000) };
      return undefined;
    };
    const streamFaults: string[] = [];
    let nextStreamFault = burstStart + random.integer(500, 1_500);
    every(tickMs, () => {
      // While the server is down nothing is written and no other fault comes (the real run waits).
      if (transport.isDown) return;
      for (let write = random.integer(0, 3); write > 0; write -= 1) workload.step();
      if (clock.now() < nextStreamFault) return;
      const kind = random.pick(streamFaultKinds);
      streamFaults.push(`${kind}@${Math.round(clock.now() - burstStart)}`);
      const downtimeMs = injectStreamFault(transport, api, kind, random);
      nextStreamFault = clock.now() + downtimeMs + random.integer(500, 1_500);
    });
    await runUntil(clock, () => false, burstStart + burstMs);
    // A server down at the end is back up before the faults count as stopped (the real run waits too).
    if (transport.isDown) await runUntil(clock, () => false, transport.upAt);

    stopTimers();
    transport.clear();
    const faultsStopped = clock.now();
    const burstRequests = transport.log.length - requestsBefore;
    const atFaultsStop = Object.fromEntries(
      observed.map(({ name, informer }, index) => [
        name,
        `${describeHealth(informer.health(), faultsStopped)}; since its last progress: ${trails[index]?.before(faultsStopped)}`,
      ]),
    );
    every(settleBookmarkMs, () => api.bookmark());
    const convergenceMs: Record<string, number> = {};
    const converged = () => {
      for (const informer of observed) {
        if (convergenceMs[informer.name] !== undefined) continue;
        if (divergence(api, informer).length === 0)
          convergenceMs[informer.name] = clock.now() - faultsStopped;
      }
      return observed.every(({ name }) => convergenceMs[name] !== undefined);
    };
    if (!(await runUntil(clock, converged, faultsStopped + convergenceLimitMs))) {
      const problems = observed.flatMap((informer) => divergence(api, informer));
      throw new Error(
        `simulated fault burst seed ${options.seed}: no convergence within ${convergenceLimitMs / 1000} s:\n  ${problems.slice(0, 12).join('\n  ')}`,
      );
    }
    return {
      seed: options.seed,
      convergenceMs,
      requestsPerInformerPerSecond: burstRequests / observed.length / (burstMs / 1000),
      streamFaults,
      atFaultsStop,
      requests: Object.fromEntries(
        observed.map(({ name }) => [
          name,
          requestTrace(transport.log, paths[name] as string, faultsStopped, convergenceMs[name] as number),
        ]),
      ),
    };
  } finally {
    stopTimers();
    controller.abort();
    const shutdown = factory.shutdown();
    // The loops stop on the abort; their last awaits settle within a few turns of the event loop.
    await runUntil(clock, () => false, clock.now());
    await shutdown;
  }
}

/** One informer's requests from 3 s before the stop until it converged, in words, times from the stop. */
function requestTrace(
  log: readonly RequestRecord[],
  path: string,
  faultsStopped: number,
  convergedAfterMs: number,
): string[] {
  const at = (time: number) => `${((time - faultsStopped) / 1000).toFixed(2)}`;
  return log
    .filter(
      (entry) =>
        entry.path === path &&
        entry.at >= faultsStopped - 3_000 &&
        entry.at <= faultsStopped + convergedAfterMs,
    )
    .map((entry) => {
      const end =
        entry.end === undefined
          ? ''
          : ` → ${entry.end.how} at ${at(entry.end.at)} after ${entry.end.lines} lines`;
      return `${at(entry.at)} ${entry.kind} ${entry.fault}${end}`;
    });
}

/** Injects one stream fault; returns how long the server stays down (0 for other faults). */
function injectStreamFault(
  transport: FaultInjectingTransport,
  api: InMemoryApi,
  kind: (typeof streamFaultKinds)[number],
  random: SeededRandom,
): number {
  if (kind !== 'stall') transport.resumeWatches();
  switch (kind) {
    case 'drop':
      transport.dropWatches({ abrupt: random.chance(0.5) });
      return 0;
    case 'stall':
      // Black-holed until the next stream fault: the connections stay open and carry nothing.
      transport.stallWatches();
      return 0;
    case 'corruptLine':
      transport.corruptNextWatchLines(1);
      return 0;
    case 'expired':
      api.compact();
      transport.dropWatches({ abrupt: random.chance(0.5) });
      return 0;
    case 'serverDown': {
      const downtimeMs = random.integer(100, 1_000);
      transport.serverDown(downtimeMs);
      return downtimeMs;
    }
  }
}

/** The workload's writes to the in-memory API. */
function inMemoryStore(api: InMemoryApi): WorkloadStore {
  return {
    create: (resource, object) => api.create(descriptors[resource], object),
    delete: (resource, key) => api.delete(descriptors[resource], key),
    mutate(resource, key, mutator) {
      const descriptor = descriptors[resource];
      const current = api.list(descriptor).find((object) => objectKeyOf(object) === key);
      if (current === undefined) throw new Error(`${resource} ${key} not found`);
      mutator(current);
      return api.update(descriptor, current);
    },
  };
}

function objectKeyOf(object: KubeObject): string {
  return `${object.metadata?.namespace}/${object.metadata?.name}`;
}
