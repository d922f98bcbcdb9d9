import { InvalidOptionError } from '../../errors/invalid-option-error.js';

/**
 * How long to wait before retrying after a failure. Immutable and pure: the retry history lives in the
 * `BackoffState` values it returns, so one policy can be shared by every reflector of a factory and
 * tested without timers.
 *
 * The delay doubles from `initialDelayMs` up to `maxDelayMs`, is spread by ±`jitter` so that clients
 * that failed together do not retry together, never exceeds `maxDelayMs`, and starts over from
 * `initialDelayMs` once `resetAfterMs` passed without a failure.
 * @see client-go `wait.NewExponentialBackoffManager` as the reflector configures it
 */
export interface BackoffPolicy {
  readonly initialDelayMs: number;
  readonly factor: number;
  readonly maxDelayMs: number;
  /** Fraction of the nominal delay by which the actual delay varies either way, in [0, 1]. */
  readonly jitter: number;
  readonly resetAfterMs: number;
  /**
   * The wait after a failure at `now` (clock milliseconds), given the state returned for the previous
   * failure (`undefined` for the first failure, or to reset). `random` returns values in [0, 1).
   */
  next(previous: BackoffState | undefined, now: number, random: () => number): BackoffStep;
}

/** The retry history a policy needs; opaque to callers, who only pass it back. */
export interface BackoffState {
  /** Consecutive failures so far, the one this state was returned for included. */
  readonly failures: number;
  /** When that failure happened. */
  readonly failedAt: number;
}

export interface BackoffStep {
  readonly delayMs: number;
  readonly state: BackoffState;
}

export interface BackoffOptions {
  readonly initialDelayMs?: number | undefined;
  readonly factor?: number | undefined;
  readonly maxDelayMs?: number | undefined;
  readonly jitter?: number | undefined;
  readonly resetAfterMs?: number | undefined;
}

/**
 * client-go's reflector backoff: 800 ms, doubling, at most 30 s, reset after 2 min without a failure.
 * client-go adds up to 100 % on top of the nominal delay; the same spread centred on it (±50 %) keeps
 * the average at the nominal schedule.
 */
export const defaultBackoffOptions = Object.freeze({
  initialDelayMs: 800,
  factor: 2,
  maxDelayMs: 30_000,
  jitter: 0.5,
  resetAfterMs: 2 * 60_000,
} satisfies Required<BackoffOptions>);

/** A `BackoffPolicy` with `defaultBackoffOptions` where `options` leaves a value out. */
export function createBackoffPolicy(options: BackoffOptions = {}): BackoffPolicy {
  const initialDelayMs = options.initialDelayMs ?? defaultBackoffOptions.initialDelayMs;
  const factor = options.factor ?? defaultBackoffOptions.factor;
  const maxDelayMs = options.maxDelayMs ?? defaultBackoffOptions.maxDelayMs;
  const jitter = options.jitter ?? defaultBackoffOptions.jitter;
  const resetAfterMs = options.resetAfterMs ?? defaultBackoffOptions.resetAfterMs;
  requireNonNegative('initialDelayMs', initialDelayMs);
  requireNonNegative('resetAfterMs', resetAfterMs);
  if (!(maxDelayMs >= initialDelayMs)) {
    throw new InvalidOptionError('maxDelayMs', `must be at least initialDelayMs (${initialDelayMs})`);
  }
  if (!(factor >= 1)) throw new InvalidOptionError('factor', 'must be a number of at least 1');
  if (!(jitter >= 0 && jitter <= 1)) throw new InvalidOptionError('jitter', 'must be between 0 and 1');

  return Object.freeze({
    initialDelayMs,
    factor,
    maxDelayMs,
    jitter,
    resetAfterMs,
    next(previous: BackoffState | undefined, now: number, random: () => number): BackoffStep {
      const healthy = previous === undefined || now - previous.failedAt >= resetAfterMs;
      const failures = healthy ? 1 : previous.failures + 1;
      // Capping the exponent keeps factor ** n finite however long the failures last.
      const nominal = Math.min(maxDelayMs, initialDelayMs * factor ** Math.min(failures - 1, 64));
      const spread = nominal * jitter * (2 * random() - 1);
      const delayMs = Math.round(Math.min(maxDelayMs, Math.max(0, nominal + spread)));
      return { delayMs, state: { failures, failedAt: now } };
    },
  });
}

function requireNonNegative(option: string, value: number): void {
  if (!(value >= 0 && Number.isFinite(value))) {
    throw new InvalidOptionError(option, 'must be a finite number of at least 0');
  }
}
