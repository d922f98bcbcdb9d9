import {
  type CaseConfig,
  cpuTime,
  type Metrics,
  now,
  peakResidentSetSize,
  residentSetSize,
  settledHeap,
  within,
} from './case-support.js';

/** An informer under test, reduced to what the watch case needs. */
export interface WatchSubject {
  /** Registers the callback run for every update applied to the cache (before `sync`). */
  onUpdate(callback: () => void): void;
  sync(): Promise<void>;
  /** Work the subject still does after the last event was applied (a controller draining its queue). */
  settle?(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Syncs (the list is pinned at the resourceVersion R the server's history starts from, see
 * `PinnedListProxy`), after which the server replays `config.watchEvents` MODIFIED events from R as fast
 * as the connection takes them; times from the moment the informer reports synced until the last event
 * was applied to its cache (its update handler ran, which both informers do after storing).
 */
export async function measureWatch(config: CaseConfig, subject: WatchSubject): Promise<Metrics> {
  const expected = config.watchEvents;
  let updates = 0;
  let finishedAt = 0;
  let finishedCpu = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  subject.onUpdate(() => {
    updates += 1;
    if (updates === expected) {
      finishedAt = now();
      finishedCpu = cpuTime();
      finish();
    }
  });
  await subject.sync();
  const syncedAt = now();
  const syncedCpu = cpuTime();
  await within(finished, 300_000, 'watch');
  if (subject.settle !== undefined) {
    await within(subject.settle(), 300_000, 'settle');
    finishedAt = now();
    finishedCpu = cpuTime();
  }
  const watchMs = finishedAt - syncedAt;
  const watchCpuMs = finishedCpu - syncedCpu;
  // Memory after the burst: the process's peak RSS (sync and burst), its RSS and heap now, and the heap
  // that is actually live once garbage is collected (the cache and the loaded code).
  const peakRssBytes = peakResidentSetSize();
  const rssAfterBytes = residentSetSize();
  const heapAfterBytes = process.memoryUsage().heapUsed;
  await subject.stop();
  const liveHeapBytes = await settledHeap();
  return {
    watchMs,
    watchCpuMs,
    eventsPerSecond: (expected / watchMs) * 1000,
    events: expected,
    peakRssBytes,
    rssAfterBytes,
    heapAfterBytes,
    liveHeapBytes,
  };
}
