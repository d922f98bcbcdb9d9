import type { Clock, KubeObject, SharedInformer } from '@kubeinformers/core';

interface TrailEntry {
  readonly at: number;
  readonly text: string;
}

/**
 * What an informer's backoff is built from, as its health shows it: every failure reported (by error
 * code) and every backoff wait (with its length), since its failures in a row last started over. A wait
 * with no failure before it comes from a rule that backs off without an error: a watch that ended at
 * once with nothing, or the relist of a list→watch→410 loop.
 */
export class FailureTrail {
  private readonly entries: TrailEntry[] = [];
  private failures = 0;
  private lastWaitUntil: number | undefined;

  constructor(informer: SharedInformer<KubeObject>, clock: Pick<Clock, 'now'>) {
    informer.onHealthChange(() => {
      const health = informer.health();
      const now = clock.now();
      if (health.consecutiveFailures === 0 && this.failures > 0)
        this.entries.push({ at: now, text: 'reset' });
      if (health.consecutiveFailures > this.failures)
        this.entries.push({ at: now, text: health.lastError?.code.replace(/^KI_/, '') ?? 'failure' });
      if (health.phase === 'backingOff' && health.retryAt !== this.lastWaitUntil) {
        const waitMs = (health.retryAt ?? now) - now;
        this.entries.push({ at: now, text: `wait ${(waitMs / 1000).toFixed(2)} s` });
      }
      this.lastWaitUntil = health.phase === 'backingOff' ? health.retryAt : undefined;
      this.failures = health.consecutiveFailures;
    });
  }

  /** The failures and waits between the last start-over before `time` and `time`, in order. */
  before(time: number): string {
    const earlier = this.entries.filter((entry) => entry.at <= time);
    const reset = earlier.map((entry) => entry.text === 'reset').lastIndexOf(true);
    const chain = earlier.slice(reset + 1).map((entry) => entry.text);
    return chain.length === 0 ? 'no failures in a row' : chain.join(' > ');
  }
}
