import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { ManualClock } from '../time/manual-clock.js';
import {
  createDefaultControllerRateLimiter,
  createItemExponentialRateLimiter,
  createTokenBucketRateLimiter,
} from './rate-limiter.js';

describe('rate limiters', () => {
  it('backs one item off exponentially from 5 ms to the 1000 s cap, per item, until forgotten', () => {
    const limiter = createItemExponentialRateLimiter<string>();
    const delays = Array.from({ length: 20 }, () => limiter.when('a'));
    expect(delays.slice(0, 5)).toEqual([5, 10, 20, 40, 80]);
    expect(delays[17]).toBe(655_360);
    expect(delays[18]).toBe(1_000_000);
    expect(delays[19]).toBe(1_000_000);
    expect(limiter.when('b')).toBe(5);
    expect(limiter.numRequeues('a')).toBe(20);
    limiter.forget('a');
    expect(limiter.numRequeues('a')).toBe(0);
    expect(limiter.when('a')).toBe(5);
  });

  it('lets a burst of 100 through at once, then one every 100 ms, refilling with time', () => {
    const clock = new ManualClock();
    const limiter = createTokenBucketRateLimiter<string>(clock);
    const first = Array.from({ length: 103 }, (_, index) => limiter.when(`item-${index}`));
    expect(first.slice(0, 100).every((delay) => delay === 0)).toBe(true);
    expect(first.slice(100)).toEqual([100, 200, 300]);
    // 3 tokens owed; 1 s refills 10, so 7 are free again before the next wait.
    clock.advance(1000);
    const next = Array.from({ length: 8 }, (_, index) => limiter.when(`later-${index}`));
    expect(next).toEqual([0, 0, 0, 0, 0, 0, 0, 100]);
  });

  it('takes the longer of both by default, and its requeue count is the per-item one', () => {
    const clock = new ManualClock();
    const limiter = createDefaultControllerRateLimiter<string>(clock);
    for (let index = 0; index < 100; index++) expect(limiter.when(`burst-${index}`)).toBe(5);
    expect(limiter.when('x')).toBe(100);
    expect(limiter.when('x')).toBe(200);
    expect(limiter.numRequeues('x')).toBe(2);
  });

  it('refuses options that cannot work', () => {
    expect(() => createItemExponentialRateLimiter({ baseDelayMs: 0 })).toThrow(InvalidOptionError);
    expect(() => createTokenBucketRateLimiter(new ManualClock(), { qps: Number.NaN })).toThrow(
      expect.objectContaining({ code: 'KI_INVALID_OPTION', option: 'qps' }),
    );
  });
});
