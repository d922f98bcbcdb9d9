import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import type { BackoffState } from './backoff.js';
import { createBackoffPolicy, defaultBackoffOptions } from './backoff.js';

const middle = () => 0.5;

/** Delays of `count` consecutive failures, each one right after the previous wait. */
function schedule(count: number, random: () => number, policy = createBackoffPolicy()): number[] {
  const delays: number[] = [];
  let state: BackoffState | undefined;
  let now = 0;
  for (let index = 0; index < count; index++) {
    const step = policy.next(state, now, random);
    delays.push(step.delayMs);
    state = step.state;
    now += step.delayMs;
  }
  return delays;
}

describe('createBackoffPolicy', () => {
  it("defaults to client-go's reflector numbers", () => {
    expect(defaultBackoffOptions).toEqual({
      initialDelayMs: 800,
      factor: 2,
      maxDelayMs: 30_000,
      jitter: 0.5,
      resetAfterMs: 120_000,
    });
  });

  it('doubles from 800 ms up to the 30 s cap (jitter centred)', () => {
    expect(schedule(9, middle)).toEqual([800, 1600, 3200, 6400, 12_800, 25_600, 30_000, 30_000, 30_000]);
  });

  it('keeps every jittered delay within ±50 % of the nominal one and under the cap', () => {
    const low = schedule(9, () => 0);
    const high = schedule(9, () => 0.999_999);
    expect(low).toEqual([400, 800, 1600, 3200, 6400, 12_800, 15_000, 15_000, 15_000]);
    expect(high).toEqual([1200, 2400, 4800, 9600, 19_200, 30_000, 30_000, 30_000, 30_000]);
    let seed = 1;
    const random = () => {
      seed = (seed * 16_807) % 2_147_483_647;
      return (seed - 1) / 2_147_483_646;
    };
    const nominal = schedule(40, middle);
    schedule(40, random).forEach((delay, index) => {
      const expected = nominal[index] ?? 0;
      expect(delay).toBeGreaterThanOrEqual(expected * 0.5);
      expect(delay).toBeLessThanOrEqual(Math.min(30_000, expected * 1.5));
    });
  });

  it('starts over after 2 min without a failure, not before', () => {
    const policy = createBackoffPolicy();
    let step = policy.next(undefined, 0, middle);
    step = policy.next(step.state, 1_000, middle);
    step = policy.next(step.state, 5_000, middle);
    expect(step.delayMs).toBe(3200);
    const stillFailing = policy.next(step.state, 5_000 + 119_999, middle);
    expect(stillFailing.delayMs).toBe(6400);
    const healthy = policy.next(step.state, 5_000 + 120_000, middle);
    expect(healthy).toEqual({ delayMs: 800, state: { failures: 1, failedAt: 125_000 } });
  });

  it('is pure: the same inputs give the same step, and a policy can be shared', () => {
    const policy = createBackoffPolicy({ initialDelayMs: 100, jitter: 0 });
    const first = policy.next(undefined, 0, Math.random);
    expect(policy.next(first.state, 10, Math.random)).toEqual(policy.next(first.state, 10, Math.random));
    expect(policy.next(undefined, 10, Math.random).delayMs).toBe(100);
    expect(Object.isFrozen(policy)).toBe(true);
  });

  it('stays finite however long the failures last', () => {
    const delays = schedule(2_000, middle, createBackoffPolicy({ factor: 10 }));
    expect(delays.at(-1)).toBe(30_000);
  });

  it('rejects options that cannot work', () => {
    expect(() => createBackoffPolicy({ initialDelayMs: -1 })).toThrow(InvalidOptionError);
    expect(() => createBackoffPolicy({ initialDelayMs: 5_000, maxDelayMs: 1_000 })).toThrow(/maxDelayMs/);
    expect(() => createBackoffPolicy({ factor: 0.5 })).toThrow(/factor/);
    expect(() => createBackoffPolicy({ jitter: 2 })).toThrow(/jitter/);
    expect(() => createBackoffPolicy({ resetAfterMs: Number.NaN })).toThrow(/resetAfterMs/);
  });
});
