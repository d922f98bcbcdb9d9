import { InvalidOptionError } from '../errors/invalid-option-error.js';
import type { Clock } from '../time/clock.js';

/**
 * Decides how long an item waits before it is retried. `when` is called once per retry and records it;
 * `forget` clears what was recorded for an item (call it after a success); `numRequeues` says how many
 * retries were recorded for it since.
 * @see client-go `workqueue.TypedRateLimiter`
 */
export interface RateLimiter<K> {
  when(item: K): number;
  forget(item: K): void;
  numRequeues(item: K): number;
}

export interface ItemExponentialOptions {
  /** Delay of the first retry; client-go's default is 5 ms. */
  readonly baseDelayMs?: number;
  /** Longest delay; client-go's default is 1000 s. */
  readonly maxDelayMs?: number;
}

export interface TokenBucketOptions {
  /** Tokens refilled per second; client-go's default is 10. */
  readonly qps?: number;
  /** Bucket size, i.e. retries allowed at once before the rate applies; client-go's default is 100. */
  readonly burst?: number;
}

/**
 * Per item, `baseDelayMs × 2^(retries so far)`, capped at `maxDelayMs`: a failing item backs off on its own
 * schedule, whatever the others do.
 * @see client-go `workqueue.NewTypedItemExponentialFailureRateLimiter`
 */
export function createItemExponentialRateLimiter<K>(options: ItemExponentialOptions = {}): RateLimiter<K> {
  const baseDelayMs = positive('baseDelayMs', options.baseDelayMs ?? 5);
  const maxDelayMs = positive('maxDelayMs', options.maxDelayMs ?? 1_000_000);
  const failures = new Map<K, number>();
  return {
    when(item) {
      const exponent = failures.get(item) ?? 0;
      failures.set(item, exponent + 1);
      // 2^exponent overflows to Infinity long after it passes any sane cap; min() handles both.
      return Math.min(baseDelayMs * 2 ** exponent, maxDelayMs);
    },
    forget(item) {
      failures.delete(item);
    },
    numRequeues(item) {
      return failures.get(item) ?? 0;
    },
  };
}

/**
 * One bucket for all items: it holds `burst` tokens, refills `qps` per second on `clock`, and every retry
 * takes a token; without one, the retry waits until a token would be there. Tokens may go negative (each
 * retry reserves the next free slot), exactly like Go's `rate.Limiter.Reserve`, so the schedule is
 * `burst` retries at once, then one every `1000 / qps` ms.
 * @see client-go `workqueue.TypedBucketRateLimiter`
 */
export function createTokenBucketRateLimiter<K>(
  clock: Clock,
  options: TokenBucketOptions = {},
): RateLimiter<K> {
  const qps = positive('qps', options.qps ?? 10);
  const burst = positive('burst', options.burst ?? 100);
  let tokens = burst;
  let last = clock.now();
  return {
    when() {
      const now = clock.now();
      tokens = Math.min(burst, tokens + (Math.max(0, now - last) * qps) / 1000);
      last = now;
      tokens -= 1;
      return tokens >= 0 ? 0 : (-tokens / qps) * 1000;
    },
    forget() {},
    numRequeues() {
      return 0;
    },
  };
}

/**
 * Asks every limiter (each records the retry) and waits for the longest answer.
 * @see client-go `workqueue.NewTypedMaxOfRateLimiter`
 */
export function createMaxOfRateLimiter<K>(...limiters: readonly RateLimiter<K>[]): RateLimiter<K> {
  return {
    when(item) {
      let delay = 0;
      for (const limiter of limiters) delay = Math.max(delay, limiter.when(item));
      return delay;
    },
    forget(item) {
      for (const limiter of limiters) limiter.forget(item);
    },
    numRequeues(item) {
      let count = 0;
      for (const limiter of limiters) count = Math.max(count, limiter.numRequeues(item));
      return count;
    },
  };
}

/**
 * client-go's default for controllers: the longer of a per-item exponential backoff (5 ms → 1000 s) and an
 * overall token bucket (10 qps, burst 100), so one hot item backs off and a mass failure cannot retry
 * faster than 10 per second.
 * @see client-go `workqueue.DefaultTypedControllerRateLimiter`
 */
export function createDefaultControllerRateLimiter<K>(
  clock: Clock,
  options: {
    readonly itemExponential?: ItemExponentialOptions;
    readonly tokenBucket?: TokenBucketOptions;
  } = {},
): RateLimiter<K> {
  return createMaxOfRateLimiter<K>(
    createItemExponentialRateLimiter<K>(options.itemExponential),
    createTokenBucketRateLimiter<K>(clock, options.tokenBucket),
  );
}

function positive(option: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new InvalidOptionError(option, `must be a positive finite number, got ${value}`);
  }
  return value;
}
