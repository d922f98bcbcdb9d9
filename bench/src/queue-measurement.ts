import { cpuTime, type Metrics, now } from './case-support.js';

/** What the queue cases drive: the work queue, or a plain array queue as the floor. */
export interface QueueSubject {
  add(item: string): void;
  /** The next item, waiting while empty. */
  get(): Promise<string>;
  /** The next item, or `undefined` when empty. */
  tryGet(): string | undefined;
  done(item: string): void;
}

const batch = 1024;
const cycles = 2_000_000;
/** Distinct keys, so every add is a real add (no de-duplication hit) and every cycle does the same work. */
const keys = Array.from({ length: batch }, (_, index) => `namespace-${index % 50}/pod-${index}`);

/**
 * Cycles of add + get + done, three ways: synchronously (`tryGet`), with one worker awaiting `get()`, and
 * with eight. The producer adds a batch of distinct keys and waits until the workers finished them, so
 * both queues move exactly the same items. Reports nanoseconds per cycle (wall and CPU).
 */
export async function measureQueue(create: () => QueueSubject): Promise<Metrics> {
  const metrics: Metrics = {};
  // Warm-up, so the JIT has compiled the paths measured.
  await syncCycles(create(), cycles / 10);
  await workerCycles(create(), cycles / 10, 8);
  for (const [name, run] of [
    ['sync', (subject: QueueSubject) => syncCycles(subject, cycles)],
    ['oneWorker', (subject: QueueSubject) => workerCycles(subject, cycles, 1)],
    ['eightWorkers', (subject: QueueSubject) => workerCycles(subject, cycles, 8)],
  ] as const) {
    const startedAt = now();
    const startedCpu = cpuTime();
    await run(create());
    metrics[`${name}NsPerCycle`] = ((now() - startedAt) * 1e6) / cycles;
    metrics[`${name}CpuNsPerCycle`] = ((cpuTime() - startedCpu) * 1e6) / cycles;
  }
  return metrics;
}

async function syncCycles(subject: QueueSubject, count: number): Promise<void> {
  for (let cycle = 0; cycle < count; cycle++) {
    subject.add(keys[cycle % batch] as string);
    const item = subject.tryGet();
    if (item === undefined) throw new Error('the queue lost an item');
    subject.done(item);
  }
}

async function workerCycles(subject: QueueSubject, count: number, workers: number): Promise<void> {
  let finished = 0;
  let batchDone: () => void = () => {};
  const worker = async () => {
    for (;;) {
      const item = await subject.get();
      if (item.startsWith('stop-')) {
        subject.done(item);
        return;
      }
      subject.done(item);
      finished++;
      if (finished % batch === 0) batchDone();
    }
  };
  const running = Array.from({ length: workers }, worker);
  for (let added = 0; added < count; added += batch) {
    const done = new Promise<void>((resolve) => {
      batchDone = resolve;
    });
    for (const key of keys) subject.add(key);
    await done;
  }
  // A key of its own tells each worker to leave (one shared key would be de-duplicated).
  for (let index = 0; index < workers; index++) subject.add(`stop-${index}`);
  await Promise.all(running);
}
