import { describe, expect, it } from 'vitest';
import { LeadershipLostError } from '../errors/leadership-lost-error.js';
import { LeaseConflictError } from '../errors/lease-conflict-error.js';
import { LeaseLockError } from '../errors/lease-lock-error.js';
import { advance, candidate, start, turn, twoCandidates } from '../test-support/election-harness.js';
import { ManualClock } from '../time/manual-clock.js';
import { InMemoryLeaseLock } from './in-memory-lease-lock.js';
import type { LeaseLock } from './lease-lock.js';

const startedAt = (log: readonly string[]) =>
  Number(log.find((line) => line.startsWith('started'))?.split(' ')[1]);

describe('LeaderElector as a write guard', () => {
  it('admits writes only while it leads, and refuses them with a typed error', async () => {
    const clock = new ManualClock();
    const { a, b } = await twoCandidates(clock);
    expect(() => a.elector.assertValid()).not.toThrow();
    expect(() => b.elector.assertValid()).toThrow(LeadershipLostError);
    expect(() => b.elector.admitWrite()).toThrow(
      expect.objectContaining({ code: 'KI_LEADERSHIP_LOST', identity: 'b' }),
    );
    a.stop.abort();
    await a.running;
    expect(() => a.elector.assertValid()).toThrow(LeadershipLostError);
    b.stop.abort();
    await b.running;
  });

  it('after a pause its timers have not noticed, it refuses at once and its signal aborts then', async () => {
    const clock = new ManualClock();
    const { a, b } = await twoCandidates(clock);
    await advance(clock, 3000);
    // SIGSTOP: a's timers are held, but its monotonic clock keeps moving.
    a.clock.pause();
    await advance(clock, 10_000);
    expect(a.log.some((line) => line.startsWith('signal'))).toBe(false);
    // A guarded client asks before sending: the renew deadline (10 s) since the last renewal has passed.
    expect(() => a.elector.assertValid()).toThrow(LeadershipLostError);
    expect(a.log.at(-1)).toBe(`signal ${clock.now()}`);
    expect(a.elector.isLeader).toBe(false);
    a.clock.resume();
    await advance(clock, 10_000);
    expect(b.elector.isLeader).toBe(true);
    b.stop.abort();
    await b.running;
  });

  it('releases the lease on a clean stop only after the writes it admitted have landed', async () => {
    const clock = new ManualClock();
    const { lease, a, b } = await twoCandidates(clock);
    const landed = a.elector.admitWrite();
    a.stop.abort();
    await advance(clock, 1000);
    expect(() => a.elector.assertValid()).toThrow(LeadershipLostError);
    expect(lease.current?.record.holderIdentity).toBe('a');
    expect(b.elector.isLeader).toBe(false);
    landed();
    landed(); // idempotent
    await a.running;
    expect(lease.current?.record.holderIdentity).not.toBe('a');
    await advance(clock, 100);
    expect(b.elector.isLeader).toBe(true);
    b.stop.abort();
    await b.running;
  });

  it('leaves the lease to expire, and says so, when an admitted write never lands', async () => {
    const clock = new ManualClock();
    const errors: unknown[] = [];
    const { lease, a, b } = await twoCandidates(clock, { onError: (error) => errors.push(error) });
    a.elector.admitWrite();
    a.stop.abort();
    // It waits for the write up to the renew deadline (10 s).
    await advance(clock, 10_500);
    await a.running;
    expect(errors).toEqual([expect.objectContaining({ code: 'KI_LEASE_LOCK_FAILED', operation: 'release' })]);
    expect(lease.current?.record.holderIdentity).toBe('a');
    await advance(clock, 8000);
    expect(b.elector.isLeader).toBe(true);
    b.stop.abort();
    await b.running;
  });

  it('a stop during a renewal whose answer is slow still releases the lease', async () => {
    const clock = new ManualClock();
    const lease = new InMemoryLeaseLock();
    // The server commits the renewal at once but its answer arrives 300 ms later.
    const slowAnswers: LeaseLock = {
      description: lease.description,
      get: (signal) => lease.get(signal),
      create: (record, signal) => lease.create(record, signal),
      update: async (record, version, signal) => {
        const state = await lease.update(record, version, signal);
        await new Promise((resolve) => clock.setTimeout(() => resolve(undefined), 300));
        return state;
      },
      waitForHolderChange: (observed, signal) => lease.waitForHolderChange(observed, signal),
    };
    const errors: unknown[] = [];
    const a = candidate('a', lease, clock, { lock: slowAnswers, onError: (error) => errors.push(error) });
    const b = candidate('b', lease, clock);
    start(a);
    await turn();
    start(b);
    await advance(clock, 2000, () => {}, 10); // the first renewal is now on the wire
    const renewed = lease.current?.version;
    a.stop.abort();
    await advance(clock, 1000, () => {}, 10);
    await a.running;
    expect(errors).toEqual([]);
    expect(Number(lease.current?.version)).toBeGreaterThan(Number(renewed));
    const released = clock.now();
    expect(b.elector.isLeader).toBe(true);
    expect(startedAt(b.log) - released).toBeLessThanOrEqual(1000);
    b.stop.abort();
    await b.running;
  });

  it('a release that keeps losing races is reported, never dropped silently', async () => {
    const clock = new ManualClock();
    const lease = new InMemoryLeaseLock();
    const refusesRelease: LeaseLock = {
      description: lease.description,
      get: (signal) => lease.get(signal),
      create: (record, signal) => lease.create(record, signal),
      update: async (record, version, signal) => {
        if (record.holderIdentity === '') throw new LeaseConflictError(lease.description);
        return lease.update(record, version, signal);
      },
    };
    const errors: unknown[] = [];
    const a = candidate('a', lease, clock, { lock: refusesRelease, onError: (error) => errors.push(error) });
    start(a);
    await turn();
    a.stop.abort();
    await a.running;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(LeaseLockError);
    expect(errors[0]).toMatchObject({ operation: 'release', cause: expect.any(LeaseConflictError) });
  });

  it('a candidate whose lock reports changes takes a released lease at once, whatever its jitter', async () => {
    const clock = new ManualClock();
    const lease = new InMemoryLeaseLock();
    const a = candidate('a', lease, clock, { lock: lease });
    const b = candidate('b', lease, clock, { lock: lease, random: () => 0.999 });
    start(a);
    await turn();
    start(b);
    await advance(clock, 5100);
    a.stop.abort();
    await a.running;
    const released = clock.now();
    await advance(clock, 10, () => {}, 1);
    expect(b.elector.isLeader).toBe(true);
    expect(startedAt(b.log) - released).toBeLessThanOrEqual(1);
    b.stop.abort();
    await b.running;
  });
});
