import {
  type CaseConfig,
  cpuTime,
  type Metrics,
  now,
  peakResidentSetSize,
  resetPeakResidentSetSize,
  residentSetSize,
  settledHeap,
} from './case-support.js';

/** An informer under test, reduced to what the initial-sync case needs. */
export interface SyncSubject {
  /** Starts it and resolves once its cache holds the initial list. */
  sync(): Promise<void>;
  /** Objects in its cache. */
  size(): number;
  /** Stops it and releases connections; the cache stays held. */
  stop(): Promise<void>;
}

/**
 * Times `create() → sync()` and measures memory the same way for every implementation:
 * - retained heap = heap with the stopped informer held − heap after dropping it (both after GC), so
 *   module code and connection pools loaded on the way do not count;
 * - RSS growth = peak RSS (from the OS, its record reset just before) − RSS just before the sync started;
 *   compared with the retained heap it shows the transient spike of building the cache.
 */
export async function measureSync(config: CaseConfig, create: () => SyncSubject): Promise<Metrics> {
  let subject: SyncSubject | undefined = create();
  await settledHeap();
  const peakWasReset = resetPeakResidentSetSize();
  const rssBefore = residentSetSize();
  const start = now();
  const cpuStart = cpuTime();
  await subject.sync();
  const syncMs = now() - start;
  const syncCpuMs = cpuTime() - cpuStart;
  const peakRss = peakResidentSetSize();
  const objects = subject.size();
  if (objects !== config.count)
    throw new Error(`expected ${config.count} objects in the cache, got ${objects}`);
  await subject.stop();
  const held = await settledHeap();
  subject = undefined;
  const dropped = await settledHeap();
  return {
    syncMs,
    syncCpuMs,
    retainedBytesPerObject: (held - dropped) / objects,
    retainedHeapBytes: held - dropped,
    rssGrowthBytes: peakRss - rssBefore,
    // 0 where the OS's peak could not be reset: the growth may then include module loading.
    peakWasReset: peakWasReset ? 1 : 0,
    objects,
  };
}
