import { describe, expect, it } from 'vitest';
import { LeaseLockError } from '../errors/lease-lock-error.js';
import {
  advance,
  type Candidate,
  candidate,
  optionsOf,
  start,
  turn,
  twoCandidates,
} from '../test-support/election-harness.js';
import { seededRandom } from '../test-support/seeded-random.js';
import { ManualClock } from '../time/manual-clock.js';
import { InMemoryLeaseLock } from './in-memory-lease-lock.js';
import { LeaderElector } from './leader-elector.js';
import type { LeaseLock } from './lease-lock.js';

describe('LeaderElector', () => {
  it('acquires a free lease, renews it every retry period, and releases it on a clean stop', async () => {
    const clock = new ManualClock(1_000_000);
    const lease = new InMemoryLeaseLock('leases/default/demo');
    const a = candidate('a', lease, clock);
    start(a);
    await turn();
    expect(a.elector.isLeader).toBe(true);
    expect(a.log).toEqual(['leader a', 'started 1000000']);
    expect(lease.current?.record).toMatchObject({
      holderIdentity: 'a',
      leaseDurationSeconds: 15,
      leaderTransitions: 0,
    });
    expect(lease.current?.record.renewTime).toBe('1970-01-01T00:16:40.000000Z');
    await advance(clock, 6000);
    expect(lease.current?.version).toBe('4');
    expect(lease.current?.record.acquireTime).toBe('1970-01-01T00:16:40.000000Z');
    a.stop.abort();
    await a.running;
    expect(lease.current?.record).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
    expect(a.log.slice(2)).toEqual(['signal 1006000', 'stopped 1006000']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('hands over at once after a release, counting the transition', async () => {
    const clock = new ManualClock();
    const { lease, a, b } = await twoCandidates(clock);
    await advance(clock, 5000);
    expect(b.elector.leader).toBe('a');
    a.stop.abort();
    await a.running;
    const releasedAt = clock.now();
    await advance(clock, 5000, () => {}, 10);
    expect(b.elector.isLeader).toBe(true);
    const startedAt = Number(b.log.find((line) => line.startsWith('started'))?.split(' ')[1]);
    // b tries every 2 s × (1 + 0.5 × 1.2) = 3.2 s.
    expect(startedAt - releasedAt).toBeLessThanOrEqual(3200);
    expect(lease.current?.record).toMatchObject({ holderIdentity: 'b', leaderTransitions: 1 });
    b.stop.abort();
    await b.running;
  });

  it('fails over within the lease duration plus one read lag when the leader dies, with no overlap', async () => {
    for (const jitter of [0, 0.5, 0.999]) {
      const clock = new ManualClock();
      const lease = new InMemoryLeaseLock();
      const a = candidate('a', lease, clock);
      const b = candidate('b', lease, clock, { random: () => jitter });
      start(a);
      await turn();
      start(b);
      await advance(clock, 7000);
      // a's process dies: its timers never fire again and it writes nothing more.
      a.clock.pause();
      a.lock.mode = 'hanging';
      const lastRenew = Date.parse(lease.current?.record.renewTime ?? '');
      await advance(clock, 30_000, () => {}, 10);
      const startedAt = Number(b.log.find((line) => line.startsWith('started'))?.split(' ')[1]);
      const readLag = 2000 * (1 + jitter * 1.2);
      expect(startedAt - lastRenew).toBeGreaterThanOrEqual(15_000);
      expect(startedAt - lastRenew).toBeLessThanOrEqual(15_000 + readLag);
      b.stop.abort();
      await b.running;
    }
  });

  it('stops leading within the renew deadline when it cannot reach the lease, before anyone takes it', async () => {
    const clock = new ManualClock();
    const lease = new InMemoryLeaseLock();
    const errors: unknown[] = [];
    const a = candidate('a', lease, clock, { onError: (error) => errors.push(error) });
    const b = candidate('b', lease, clock);
    start(a);
    await turn();
    start(b);
    await advance(clock, 4000);
    a.lock.mode = 'failing';
    const lastRenew = clock.now();
    await advance(clock, 20_000, () => expect(a.elector.isLeader && b.elector.isLeader).toBe(false), 10);
    const signalled = Number(a.log.find((line) => line.startsWith('signal'))?.split(' ')[1]);
    // Renew rounds start 2 s after the last success and last at most the 10 s renew deadline.
    expect(signalled - lastRenew).toBeLessThanOrEqual(12_000);
    expect(a.running).toBeUndefined();
    expect(errors[0]).toBeInstanceOf(LeaseLockError);
    expect(errors[0]).toMatchObject({ code: 'KI_LEASE_LOCK_FAILED', operation: 'update' });
    expect(b.elector.isLeader).toBe(true);
    b.stop.abort();
    await b.running;
  });

  it('a leader resuming from a pause longer than its lease steps down before acting', async () => {
    const clock = new ManualClock();
    const { lease, a, b } = await twoCandidates(clock);
    await advance(clock, 3000);
    a.clock.pause();
    await advance(clock, 25_000);
    expect(b.elector.isLeader).toBe(true);
    a.clock.resume();
    await turn();
    expect(a.elector.isLeader).toBe(false);
    expect(lease.current?.record.holderIdentity).toBe('b');
    b.stop.abort();
    await b.running;
  });

  it('stopped while its winning write is in flight, it gives the lease back without starting work', async () => {
    const lease = new InMemoryLeaseLock();
    const stop = new AbortController();
    const slowCreate: LeaseLock = {
      description: lease.description,
      get: (signal) => lease.get(signal),
      // The server commits the write, but the answer arrives after the stop.
      create: async (record, signal) => {
        const state = await lease.create(record, signal);
        stop.abort();
        return state;
      },
      update: (record, version, signal) => lease.update(record, version, signal),
    };
    let started = false;
    const elector = new LeaderElector({
      identity: 'a',
      lock: slowCreate,
      clock: new ManualClock(),
      onStartedLeading: () => {
        started = true;
      },
    });
    await elector.run(stop.signal);
    expect(started).toBe(false);
    expect(lease.current?.record.holderIdentity).toBe('');
  });

  it('refuses timings that cannot work', () => {
    const lock = new InMemoryLeaseLock();
    const base = { identity: 'a', lock, onStartedLeading: () => {} };
    expect(() => new LeaderElector({ ...base, leaseDurationMs: 1500 })).toThrow(
      expect.objectContaining({ option: 'leaseDurationMs' }),
    );
    expect(() => new LeaderElector({ ...base, renewDeadlineMs: 15_000 })).toThrow(
      expect.objectContaining({ option: 'renewDeadlineMs' }),
    );
    expect(() => new LeaderElector({ ...base, retryPeriodMs: 9000 })).toThrow(
      expect.objectContaining({ code: 'KI_INVALID_OPTION' }),
    );
  });

  const randomSeed = Date.now() % 1_000_000;
  it.each([1, 2, 3, 99, randomSeed])(
    'never admits writes from two candidates, or from one the lease does not name, under random pauses, partitions and restarts (seed %i)',
    async (seed) => {
      const random = seededRandom(seed);
      const clock = new ManualClock();
      const lease = new InMemoryLeaseLock();
      const candidates = ['a', 'b', 'c'].map((identity) => candidate(identity, lease, clock, { random }));
      for (const entry of candidates) start(entry);
      const trace: string[] = [];
      let leaderships = 0;
      let leaderlessSince: number | undefined;
      let longestLeaderless = 0;
      // Fencing: at any instant at most one candidate would admit a write (asked at that instant, as a
      // guarded client asks right before sending, paused or not), and it is the lease's holder.
      const invariant = () => {
        const admitting = candidates.filter((entry) => admitsWrites(entry.elector));
        const holder = lease.current?.record.holderIdentity;
        if (admitting.length > 1 || (admitting.length === 1 && admitting[0]?.identity !== holder)) {
          throw new Error(
            `seed ${seed}: ${admitting.map((entry) => entry.identity).join(' and ')} admit writes at ${clock.now()} while the lease names ${JSON.stringify(holder)}; ${JSON.stringify(trace.slice(-30))}`,
          );
        }
      };
      try {
        for (let step = 0; step < 60; step++) {
          const entry = candidates[Math.floor(random() * candidates.length)] as Candidate;
          const roll = random();
          trace.push(
            `${clock.now()} ${entry.identity} roll ${roll.toFixed(2)} paused=${entry.clock.isPaused} mode=${entry.lock.mode} log=${entry.log.join(',')}`,
          );
          if (roll < 0.25) {
            if (entry.clock.isPaused) entry.clock.resume();
            else entry.clock.pause();
          } else if (roll < 0.5) {
            entry.lock.mode = (['ok', 'failing', 'hanging'] as const)[Math.floor(random() * 3)] ?? 'ok';
          } else if (roll < 0.6 && entry.running !== undefined && !entry.clock.isPaused) {
            entry.stop.abort();
          } else if (entry.running === undefined) {
            entry.elector = new LeaderElector({ ...optionsOf(entry), random });
            start(entry);
          }
          await turn();
          invariant();
          await advance(clock, Math.floor(random() * 20_000), invariant);
        }
        // Heal everything: a leader must emerge within a lease duration plus the acquire jitter.
        for (const entry of candidates) {
          entry.clock.resume();
          entry.lock.mode = 'ok';
          if (entry.running === undefined) start(entry);
        }
        await advance(clock, 15_000 + 4400 + 2000, () => {
          invariant();
          // Like a supervisor restarting a process that exited after losing its lease.
          for (const entry of candidates) if (entry.running === undefined) start(entry);
          const leading = candidates.some((entry) => entry.elector.isLeader);
          if (leading) {
            if (leaderlessSince !== undefined)
              longestLeaderless = Math.max(longestLeaderless, clock.now() - leaderlessSince);
            leaderlessSince = undefined;
            leaderships++;
          } else leaderlessSince ??= clock.now();
        });
        expect(
          candidates.filter((entry) => entry.elector.isLeader),
          JSON.stringify({
            lease: lease.current,
            now: clock.now(),
            candidates: candidates.map((entry) => [
              entry.identity,
              entry.running !== undefined,
              entry.elector.leader,
              (entry.elector as unknown as { observedAt: number }).observedAt,
            ]),
            trace: trace.slice(-8),
          }),
        ).toHaveLength(1);
        expect(leaderships).toBeGreaterThan(0);
      } catch (error) {
        throw new Error(`leader election property failed with seed ${seed}`, { cause: error });
      } finally {
        for (const entry of candidates) {
          entry.clock.resume();
          entry.lock.mode = 'ok';
          entry.stop.abort();
        }
        await turn();
      }
    },
  );
});

function admitsWrites(elector: LeaderElector): boolean {
  try {
    elector.assertValid();
    return true;
  } catch {
    return false;
  }
}
