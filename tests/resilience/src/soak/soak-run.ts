import { getHeapStatistics } from 'node:v8';
import { createInformerFactory, type KubeObject } from '@kubeinformers/core';
import { configMaps, pods } from '@kubeinformers/k8s-client-adapter';
import { SeededRandom } from '@kubeinformers/testing';
import { ChaosFaults } from '../chaos/chaos-faults.js';
import { ChaosWorkload, tierLabel } from '../chaos/chaos-workload.js';
import { observeInformer, waitForConvergence } from '../convergence.js';
import { startFakeCluster } from '../fake-cluster.js';

export interface SoakOptions {
  readonly minutes: number;
  readonly seed?: number;
  /** Writes per second of steady churn; default 200. */
  readonly writesPerSecond?: number;
  /** Mean seconds between faults; default 10. */
  readonly secondsBetweenFaults?: number;
  readonly log?: (line: string) => void;
}

/** One minute's measurement, taken at quiescence (faults lifted, informers converged) after a full GC. */
export interface SoakSample {
  readonly minute: number;
  readonly heapUsedBytes: number;
  readonly rssBytes: number;
  /** Open TCP/TLS sockets (client and server ends, both in this process). */
  readonly sockets: number;
  readonly timers: number;
  readonly activeResources: number;
  readonly mutations: number;
  readonly faults: number;
  readonly errors: number;
  /** Real time the informers took to converge once faults were lifted. */
  readonly convergenceMs: number;
}

export interface SoakReport {
  readonly samples: readonly SoakSample[];
  readonly violations: readonly string[];
}

const tickMs = 50;
const namespaces = ['soak-0', 'soak-1', 'soak-2', 'soak-3'];

function countResources(): { sockets: number; timers: number; activeResources: number } {
  const resources = process.getActiveResourcesInfo();
  return {
    sockets: resources.filter((name) => /TCPSocketWrap|TLSWrap|TCPWrap/.test(name)).length,
    timers: resources.filter((name) => name === 'Timeout' || name === 'Immediate').length,
    activeResources: resources.length,
  };
}

/**
 * The median of three heap measurements half a second apart, each after a full GC: transient buffers
 * (a bookmark being written, a socket being replaced) then count once at most.
 */
async function quiescentHeap(): Promise<number> {
  const measured: number[] = [];
  for (let index = 0; index < 3; index += 1) {
    if (index > 0) await new Promise((resolve) => setTimeout(resolve, 500));
    collectGarbage();
    measured.push(getHeapStatistics().used_heap_size);
  }
  return measured.sort((left, right) => left - right)[1] as number;
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('the soak needs --expose-gc to measure the heap');
  gc();
  gc();
}

/**
 * Steady churn with periodic faults against four informers on production timing (system clock,
 * client-go's backoff), sampled once a minute at quiescence: the churn and faults pause, the informers
 * must converge (full objects, valid event sequences), then heap and handles are measured after a GC.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  const random = new SeededRandom(options.seed ?? 1);
  const writesPerTick = Math.max(1, Math.round(((options.writesPerSecond ?? 200) * tickMs) / 1000));
  const faultProbability = tickMs / 1000 / (options.secondsBetweenFaults ?? 10);
  let errors = 0;

  const cluster = await startFakeCluster({
    tokenPrefix: 'soak',
    watchHistorySize: 2_000,
    bookmarkIntervalMs: 5_000,
  });
  const { server, transport } = cluster;
  const controller = new AbortController();
  const factory = createInformerFactory(transport, {
    pageSize: 50,
    onError: () => {
      errors += 1;
    },
  });
  const frontend = `${tierLabel}=frontend`;
  const observed = [
    observeInformer('all pods', factory.informerFor(pods), () => server.store.list<KubeObject>('pods')),
    observeInformer('frontend pods', factory.informerFor(pods, { labelSelector: frontend }), () =>
      server.store.list<KubeObject>('pods', { labelSelector: frontend }),
    ),
    observeInformer('soak-1 pods', factory.informerFor(pods, { namespace: 'soak-1' }), () =>
      server.store.list<KubeObject>('pods', { namespace: 'soak-1' }),
    ),
    observeInformer('config maps', factory.informerFor(configMaps), () =>
      server.store.list<KubeObject>('configmaps'),
    ),
  ];
  const workload = new ChaosWorkload(server.store, random, namespaces);
  const faults = new ChaosFaults(server, transport, random, () => workload.mutations);
  const samples: SoakSample[] = [];
  try {
    factory.start(controller.signal);
    const started = performance.now();
    for (let minute = 1; minute <= options.minutes; minute += 1) {
      const minuteEnds = started + minute * 60_000;
      while (performance.now() < minuteEnds) {
        for (let index = 0; index < writesPerTick; index += 1) workload.step();
        await faults.afterBatch(faultProbability);
        await new Promise((resolve) => setTimeout(resolve, tickMs));
      }
      faults.settle();
      const settling = performance.now();
      // client-go's backoff may be at its 30 s cap when the faults are lifted.
      await waitForConvergence(server, observed, 90_000);
      const convergenceMs = Math.round(performance.now() - settling);
      const sample: SoakSample = {
        minute,
        heapUsedBytes: await quiescentHeap(),
        rssBytes: process.memoryUsage.rss(),
        ...countResources(),
        mutations: workload.mutations,
        faults: Object.values(faults.injected).reduce((sum, count) => sum + count, 0),
        errors,
        convergenceMs,
      };
      samples.push(sample);
      log(formatSample(sample));
    }
  } finally {
    controller.abort();
    await factory.shutdown();
    await cluster.close();
  }
  return { samples, violations: observed.flatMap(({ checker }) => checker.violations) };
}

export function formatSample(sample: SoakSample): string {
  const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  return [
    `minute ${String(sample.minute).padStart(2)}`,
    `heap ${megabytes(sample.heapUsedBytes)} MB`,
    `rss ${megabytes(sample.rssBytes)} MB`,
    `sockets ${sample.sockets}`,
    `timers ${sample.timers}`,
    `resources ${sample.activeResources}`,
    `mutations ${sample.mutations}`,
    `faults ${sample.faults}`,
    `errors ${sample.errors}`,
    `converged in ${sample.convergenceMs} ms`,
  ].join(', ');
}

/**
 * What the soak fails on: the heap of the later half of the samples after warm-up more than 10 % above
 * that of the earlier half (means: one sample varies by several MB with the objects held and the
 * server's history at that moment, while a leak shows as growth of the whole later half), or sockets or
 * timers above what the first sample after warm-up held (plus a little slack for connections being
 * replaced).
 */
export function soakProblems(samples: readonly SoakSample[], warmupMinutes: number): string[] {
  const measured = samples.slice(Math.min(warmupMinutes, samples.length - 1));
  const baseline = measured[0];
  if (baseline === undefined) return ['no samples'];
  const problems: string[] = [];
  const half = Math.max(1, Math.floor(measured.length / 2));
  const mean = (part: readonly SoakSample[]) =>
    part.reduce((sum, sample) => sum + sample.heapUsedBytes, 0) / part.length;
  const earlier = measured.slice(0, half);
  const later = measured.slice(-half);
  const growth = mean(later) / mean(earlier) - 1;
  if (growth > 0.1) {
    const span = (part: readonly SoakSample[]) => `${part[0]?.minute}–${part.at(-1)?.minute}`;
    problems.push(
      `heap grew ${(growth * 100).toFixed(1)} % after warm-up (minutes ${span(earlier)} → ${span(later)}, means)`,
    );
  }
  for (const sample of measured) {
    if (sample.sockets > baseline.sockets + 4) {
      problems.push(
        `minute ${sample.minute}: ${sample.sockets} sockets open, ${baseline.sockets} after warm-up`,
      );
    }
    if (sample.timers > baseline.timers + 4) {
      problems.push(
        `minute ${sample.minute}: ${sample.timers} timers pending, ${baseline.timers} after warm-up`,
      );
    }
  }
  return problems;
}
