import { describe, expect, it } from 'vitest';
import { RangeNotOwnedError } from '../../errors/range-not-owned-error.js';
import { ManualClock } from '../../time/manual-clock.js';
import { fnv1a64 } from '../fnv1a64.js';
import { hashSpaceEnd } from '../shard-range.js';
import { intersectRanges, rangesContain, rangesEqual, unionRanges } from './hash-ranges.js';
import { InMemoryMemberLeases } from './in-memory-member-leases.js';
import type { MemberLeaseClient } from './member-lease.js';
import { assignRanges } from './range-assignment.js';
import { RangeOwnership } from './range-ownership.js';
import type { RangeOwnershipOptions } from './range-ownership-options.js';

async function settleMicrotasks(): Promise<void> {
  for (let index = 0; index < 64; index++) await null;
}

const whole = [{ start: 0n, end: hashSpaceEnd }];

function replica(
  identity: string,
  leases: InMemoryMemberLeases,
  clock: ManualClock,
  options: Partial<RangeOwnershipOptions> = {},
) {
  const log: string[] = [];
  const ownership = new RangeOwnership({
    identity,
    leases,
    view: leases.view(),
    clock,
    wallClock: () => 0,
    random: () => 0.5,
    onError: () => {},
    ...options,
  });
  ownership.subscribe((change) => {
    if (change.gained.length > 0) log.push(`gained ${clock.now()}`);
    if (change.lost.length > 0) log.push(`lost ${clock.now()}`);
  });
  const stop = new AbortController();
  const running = ownership.run(stop.signal);
  return { ownership, stop, running, log };
}

/** Advances in steps and checks that no hash point has two owners at any of them. */
async function advance(clock: ManualClock, ms: number, owners: readonly RangeOwnership[], stepMs = 100) {
  for (let moved = 0; moved < ms; moved += stepMs) {
    clock.advance(Math.min(stepMs, ms - moved));
    await settleMicrotasks();
    for (const [index, first] of owners.entries()) {
      for (const second of owners.slice(index + 1)) {
        expect(intersectRanges([...first.ownedRanges], [...second.ownedRanges])).toEqual([]);
      }
    }
  }
}

describe('RangeOwnership', () => {
  it('a lone replica claims and owns the whole space, and guards writes with a typed error', async () => {
    const clock = new ManualClock(1000);
    const leases = new InMemoryMemberLeases();
    const a = replica('a', leases, clock);
    await advance(clock, 100, [a.ownership]);
    expect(a.ownership.ownedRanges).toEqual(whole);
    expect(a.ownership.members).toEqual(['a']);
    expect(leases.current.get('shard-member-a')).toMatchObject({
      holderIdentity: 'a_80000000',
      leaseDurationSeconds: 15,
      claims: '0000000000000000-10000000000000000',
    });
    expect(a.ownership.owns({ metadata: { uid: 'pod-uid' } })).toBe(true);
    a.ownership.assertOwns('pod-uid');
    a.stop.abort();
    await a.running;
    expect(a.ownership.owns('pod-uid')).toBe(false);
    const error = (() => {
      try {
        a.ownership.assertOwns('pod-uid');
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(RangeNotOwnedError);
    expect(error).toMatchObject({
      code: 'KI_RANGE_NOT_OWNED',
      identity: 'a',
      uid: 'pod-uid',
      hash: fnv1a64('pod-uid'),
    });
    // A clean stop empties the lease so others need not wait for it to expire.
    expect(leases.current.get('shard-member-a')).toMatchObject({ holderIdentity: '', claims: '' });
  });

  it('a joining replica gains its share only after the owner published it as released', async () => {
    const clock = new ManualClock(1000);
    const leases = new InMemoryMemberLeases();
    const a = replica('a', leases, clock);
    await advance(clock, 100, [a.ownership]);
    let finishInFlight: () => void = () => {};
    const holding = a.ownership.subscribe((change) =>
      change.lost.length > 0 ? new Promise<void>((resolve) => (finishInFlight = resolve)) : undefined,
    );
    const b = replica('b', leases, clock);
    await advance(clock, 5000, [a.ownership, b.ownership]);
    // a gave b's share up at once, but its in-flight work holds the claim: b waits.
    expect(a.log).toEqual(['gained 1100', 'lost 1200']);
    expect(b.ownership.ownedRanges).toEqual([]);
    expect(leases.current.get('shard-member-a')?.claims).toBe('0000000000000000-10000000000000000');
    finishInFlight();
    holding();
    await advance(clock, 100, [a.ownership, b.ownership]);
    // Released when the in-flight work finished (at 6100), gained by b on its next look.
    expect(b.log).toEqual(['gained 6200']);
    expect(b.ownership.ownedRanges).toEqual(b.ownership.assignedRanges);
    expect(unionRanges([...a.ownership.ownedRanges], [...b.ownership.ownedRanges])).toEqual(whole);
    a.stop.abort();
    b.stop.abort();
    await Promise.all([a.running, b.running]);
  });

  it('a write admitted through guardFor delays the release of its range until it is answered', async () => {
    const clock = new ManualClock(1000);
    const leases = new InMemoryMemberLeases();
    const a = replica('a', leases, clock);
    await advance(clock, 100, [a.ownership]);
    // A uid in the share b will take.
    const bShare = assignRanges(['a', 'b']).get('b') ?? [];
    const uid = Array.from({ length: 100 }, (_, index) => `pod-${index}`).find((candidate) =>
      rangesContain(bShare, fnv1a64(candidate)),
    ) as string;
    const guard = a.ownership.guardFor(uid);
    guard.assertValid();
    const answered = guard.admitWrite();
    const b = replica('b', leases, clock);
    await advance(clock, 5000, [a.ownership, b.ownership]);
    // a gave the range up at once, but the write on the wire keeps it claimed: b waits.
    expect(() => guard.assertValid()).toThrow(RangeNotOwnedError);
    expect(b.ownership.owns(uid)).toBe(false);
    answered();
    await advance(clock, 200, [a.ownership, b.ownership]);
    expect(b.ownership.owns(uid)).toBe(true);
    a.stop.abort();
    b.stop.abort();
    await Promise.all([a.running, b.running]);
  });

  it("takes a dead replica's ranges over within the lease duration plus a retry period", async () => {
    const clock = new ManualClock(1000);
    const leases = new InMemoryMemberLeases();
    let dead = false;
    const dying: MemberLeaseClient = {
      description: leases.description,
      get: (name, signal) => (dead ? Promise.reject(new Error('gone')) : leases.get(name, signal)),
      create: (name, record, signal) =>
        dead ? Promise.reject(new Error('gone')) : leases.create(name, record, signal),
      update: (name, record, version, signal) =>
        dead ? Promise.reject(new Error('gone')) : leases.update(name, record, version, signal),
    };
    const a = replica('a', leases, clock, { leases: dying });
    const b = replica('b', leases, clock);
    await advance(clock, 3000, [a.ownership, b.ownership]);
    const aShare = [...a.ownership.ownedRanges];
    expect(aShare.length).toBeGreaterThan(0);
    dead = true;
    const diedAt = clock.now();
    let tookOverAt: number | undefined;
    let aStoppedAt: number | undefined;
    for (let waited = 0; waited < 20_000 && tookOverAt === undefined; waited += 100) {
      await advance(clock, 100, [a.ownership, b.ownership]);
      if (aStoppedAt === undefined && a.ownership.ownedRanges.length === 0) aStoppedAt = clock.now();
      if (rangesEqual(b.ownership.ownedRanges, whole)) tookOverAt = clock.now();
    }
    // a stops owning within the renew deadline of its last write; b takes over after the lease duration
    // measured from when it last saw a's lease change, plus at most a retry period.
    expect(aStoppedAt).toBeDefined();
    expect((aStoppedAt as number) - diedAt).toBeLessThanOrEqual(10_000);
    expect(tookOverAt).toBeDefined();
    expect((tookOverAt as number) - diedAt).toBeLessThanOrEqual(15_000 + 2000);
    expect(leases.current.get('shard-member-a')).toMatchObject({ holderIdentity: '', claims: '' });
    for (const range of aShare) expect(rangesContain(b.ownership.ownedRanges, range.start)).toBe(true);
    a.stop.abort();
    b.stop.abort();
    await Promise.all([a.running, b.running]);
  });

  it('a restarted replica waits for its predecessor’s lease to expire before it claims anything', async () => {
    const clock = new ManualClock(1000);
    const leases = new InMemoryMemberLeases();
    let frozen = false;
    const freezable: MemberLeaseClient = {
      description: leases.description,
      get: (name, signal) => leases.get(name, signal),
      create: (name, record, signal) => leases.create(name, record, signal),
      update: (name, record, version, signal) =>
        frozen ? new Promise(() => {}) : leases.update(name, record, version, signal),
    };
    const old = replica('a', leases, clock, { leases: freezable, random: () => 0.1 });
    await advance(clock, 1000, [old.ownership]);
    frozen = true; // the old process hangs, holding its claims
    const next = replica('a', leases, clock, { random: () => 0.2 });
    await advance(clock, 14_000, [old.ownership, next.ownership]);
    expect(next.ownership.ownedRanges).toEqual([]);
    await advance(clock, 5000, [old.ownership, next.ownership]);
    expect(next.ownership.ownedRanges).toEqual(whole);
    old.stop.abort();
    next.stop.abort();
    await next.running;
  });

  it('a lagging view never revives a claim that was released after the version it shows', async () => {
    const clock = new ManualClock(1000);
    const leases = new InMemoryMemberLeases();
    const aView = leases.view();
    const a = replica('a', leases, clock, { view: aView });
    await advance(clock, 100, [a.ownership]);
    expect(a.ownership.ownedRanges).toEqual(whole);
    // a's watch stops right after it delivers y's first write (y's lease, claiming nothing yet).
    aView.hold();
    const y = replica('y', leases, clock);
    await settleMicrotasks();
    aView.deliver(1);
    // a gives y's share up and writes so (it cannot see that write); y claims and owns its share; y keeps
    // renewing, but to a, whose view is stuck, y looks expired after the lease duration: a assigns itself
    // everything again and writes that claim. The version a's view shows claimed everything too, but a
    // released y's share since: a must not own it.
    await advance(clock, 25_000, [a.ownership, y.ownership]);
    expect(y.ownership.ownedRanges.length).toBeGreaterThan(0);
    expect(a.ownership.assignedRanges).toEqual(whole);
    a.stop.abort();
    y.stop.abort();
    aView.letGo();
    await Promise.all([a.running, y.running]);
  });

  it('refuses timings that cannot work', () => {
    const leases = new InMemoryMemberLeases();
    const base = { identity: 'a', leases, view: leases.view() };
    expect(() => new RangeOwnership({ ...base, identity: '' })).toThrow(
      expect.objectContaining({ option: 'identity' }),
    );
    expect(() => new RangeOwnership({ ...base, leaseDurationMs: 1500 })).toThrow(
      expect.objectContaining({ option: 'leaseDurationMs' }),
    );
    expect(() => new RangeOwnership({ ...base, renewDeadlineMs: 15_000 })).toThrow(
      expect.objectContaining({ option: 'renewDeadlineMs' }),
    );
    expect(() => new RangeOwnership({ ...base, retryPeriodMs: 10_000 })).toThrow(
      expect.objectContaining({ code: 'KI_INVALID_OPTION' }),
    );
  });
});
