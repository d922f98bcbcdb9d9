import { LeaderElector, LeaseConflictError, type LeaseLock } from '@kubeinformers/core';
import { FakeApiServer } from '@kubeinformers/testing';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLeaseLock } from './lease-lock.js';

let server: FakeApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function kubeConfig(): Promise<KubeConfig> {
  server = await FakeApiServer.start({});
  const config = new KubeConfig();
  config.loadFromString(server.kubeconfig());
  return config;
}

const record = (holderIdentity: string) => ({
  holderIdentity,
  leaseDurationSeconds: 15,
  acquireTime: '2026-01-02T03:04:05.678000Z',
  renewTime: '2026-01-02T03:04:05.678000Z',
  leaderTransitions: 2,
});

/** Calls hang (a partition, or a stopped process seen from the server) while `blocked`. */
class Partitionable implements LeaseLock {
  blocked = false;
  constructor(private readonly inner: LeaseLock) {}
  get description() {
    return this.inner.description;
  }
  private async gate(signal: AbortSignal) {
    if (!this.blocked) return;
    await new Promise((_, reject) =>
      signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
    );
  }
  async get(signal: AbortSignal) {
    await this.gate(signal);
    return this.inner.get(signal);
  }
  async create(value: Parameters<LeaseLock['create']>[0], signal: AbortSignal) {
    await this.gate(signal);
    return this.inner.create(value, signal);
  }
  async update(value: Parameters<LeaseLock['update']>[0], version: string, signal: AbortSignal) {
    await this.gate(signal);
    return this.inner.update(value, version, signal);
  }
}

describe('createLeaseLock against the fake API server', () => {
  it('creates, reads and updates a Lease, and turns every 409 into LeaseConflictError', async () => {
    const lock = createLeaseLock(await kubeConfig(), { namespace: 'default', name: 'demo' });
    const signal = new AbortController().signal;
    expect(await lock.get(signal)).toBeUndefined();
    const created = await lock.create(record('a'), signal);
    expect(created.record).toEqual(record('a'));
    await expect(lock.create(record('b'), signal)).rejects.toBeInstanceOf(LeaseConflictError);
    const updated = await lock.update(record('b'), created.version, signal);
    expect(updated.record.holderIdentity).toBe('b');
    expect(updated.version).not.toBe(created.version);
    // A write naming a version that is no longer current loses: the API server's optimistic concurrency.
    const stale = await lock.update(record('c'), created.version, signal).catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(LeaseConflictError);
    expect(stale).toMatchObject({ code: 'KI_LEASE_CONFLICT', lease: 'leases/default/demo' });
    expect((await lock.get(signal))?.record.holderIdentity).toBe('b');
  });

  it('waits for the holder to change through a watch: a renewal does not wake it, a release does', async () => {
    const lock = createLeaseLock(await kubeConfig(), { namespace: 'default', name: 'watched' });
    const signal = new AbortController().signal;
    const held = await lock.create(record('a'), signal);
    let woken = false;
    const waiting = lock.waitForHolderChange?.(held, signal).then(() => {
      woken = true;
    });
    const renewed = await lock.update(record('a'), held.version, signal);
    // The watch delivered the renewal (a MODIFIED event) by the time a later read answers.
    await lock.get(signal);
    await new Promise((resolve) => setImmediate(resolve));
    expect(woken).toBe(false);
    await lock.update(record(''), renewed.version, signal);
    await waiting;
    expect(woken).toBe(true);
    const stop = new AbortController();
    const abandoned = lock.waitForHolderChange?.(await lock.get(signal), stop.signal);
    stop.abort(new Error('stopped'));
    await expect(abandoned).rejects.toThrow('stopped');
  });

  it('in real time, two candidates: one leader, failover after a partitioned leader and a killed one, never two at once', async () => {
    const config = await kubeConfig();
    const timings = { leaseDurationMs: 1000, renewDeadlineMs: 600, retryPeriodMs: 150 };
    const leading = new Set<string>();
    const overlaps: string[] = [];
    const started = new Map<string, number[]>();
    const candidate = (identity: string) => {
      const lock = new Partitionable(createLeaseLock(config, { namespace: 'default', name: 'controller' }));
      const stop = new AbortController();
      const elector = new LeaderElector({
        identity,
        lock,
        ...timings,
        onStartedLeading: (signal) => {
          if (leading.size > 0) overlaps.push(`${identity} started while ${[...leading].join()} led`);
          leading.add(identity);
          started.set(identity, [...(started.get(identity) ?? []), Date.now()]);
          signal.addEventListener('abort', () => leading.delete(identity), { once: true });
        },
        onError: () => {},
      });
      return { identity, lock, stop, elector, running: elector.run(stop.signal) };
    };
    const a = candidate('a');
    await vi.waitFor(() => expect(a.elector.isLeader).toBe(true), { timeout: 5000, interval: 10 });
    const b = candidate('b');
    await vi.waitFor(() => expect(b.elector.leader).toBe('a'), { timeout: 5000, interval: 10 });

    // a is cut off: it steps down by its own deadline; b takes over after the lease expires.
    a.lock.blocked = true;
    const cutAt = Date.now();
    await vi.waitFor(() => expect(b.elector.isLeader).toBe(true), { timeout: 5000, interval: 10 });
    const failover = (started.get('b')?.[0] ?? 0) - cutAt;
    expect(failover).toBeGreaterThanOrEqual(timings.leaseDurationMs - timings.retryPeriodMs);
    expect(failover).toBeLessThan(timings.leaseDurationMs + 3 * timings.retryPeriodMs + 500);
    await a.running; // a lost its lease, so its run ended
    expect(a.elector.isLeader).toBe(false);

    // a comes back as a candidate; then b is killed without releasing (a crash): a takes over.
    a.lock.blocked = false;
    const again = { ...a, stop: new AbortController() };
    const rerun = a.elector.run(again.stop.signal);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(a.elector.isLeader).toBe(false);
    b.lock.blocked = true;
    b.stop.abort();
    await vi.waitFor(() => expect(a.elector.isLeader).toBe(true), { timeout: 5000, interval: 10 });
    expect(overlaps).toEqual([]);

    // A clean stop releases the lease: holder cleared at once.
    again.stop.abort();
    await rerun;
    await b.running;
    const lease = await createLeaseLock(config, { namespace: 'default', name: 'controller' }).get(
      new AbortController().signal,
    );
    expect(lease?.record.holderIdentity).toBe('');
    // Written in wall time (the elector's durations run on a monotonic clock).
    expect(Math.abs(Date.parse(lease?.record.renewTime ?? '') - Date.now())).toBeLessThan(60_000);
    expect(lease?.record.leaderTransitions).toBe(2);
  });
});
