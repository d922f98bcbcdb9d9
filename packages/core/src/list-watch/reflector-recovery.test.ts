import { afterEach, describe, expect, it } from 'vitest';
import {
  eventually,
  pod,
  startReflector,
  startWatchingReflector,
} from '../test-support/reflector-harness.js';
import { listBody, ScriptedBody, statusBody } from '../test-support/scripted-transport.js';
import { HealthRecorder } from './health-recorder.js';
import { ServerReachability } from './retry/server-reachability.js';

// Recovery as a user sees it: health once the cache is current again, and the evidence one informer of
// a factory shares with the others that the server is back.

let current: ReturnType<typeof startReflector> | undefined;

afterEach(async () => {
  await current?.stop();
  current = undefined;
});

const watching = (options: Parameters<typeof startReflector>[0] = {}) =>
  startWatchingReflector(options, (started) => {
    current = started;
  });

const serverError = statusBody(500, 'InternalError', 'etcd down');

describe('health that matches what users see', () => {
  it('is healthy at once when a rewatch after a failure is accepted, with no event or bookmark; a dead watch degrades it again', async () => {
    const health = new HealthRecorder(0);
    const { watch, transport, clock, elapseBackoff } = await watching({ health });
    watch.respond({ status: 500, body: [serverError] });
    await elapseBackoff(800);
    expect(health.health()).toMatchObject({ phase: 'watching', consecutiveFailures: 1 });
    const rewatch = await transport.nextRequest();
    const acceptedAt = clock.now();
    // The server accepts the watch from the cache's version: headers, and nothing else for a while.
    rewatch.respond({ body: new ScriptedBody() });
    await eventually(() => expect(health.health().consecutiveFailures).toBe(0));
    expect(clock.now() - acceptedAt).toBeLessThanOrEqual(1_000);
    expect(health.health()).toMatchObject({ phase: 'watching', lastError: { code: 'KI_API_SERVER_ERROR' } });
    // The watch turns out dead: the stall guard (151 s before any bookmark) reports it, health degrades.
    clock.advance(151_000);
    await eventually(() => expect(health.health().consecutiveFailures).toBe(1));
    expect(health.health().lastError?.code).toBe('KI_WATCH_STALLED');
    (await transport.nextRequest()).respond({ body: new ScriptedBody() });
  });

  it('does not start the backoff over for an accepted watch: a quick empty one keeps the growing wait', async () => {
    const { watch, transport, elapseBackoff } = await watching();
    watch.respond({ status: 500, body: [serverError] });
    await elapseBackoff(800);
    // Accepted, then closed at once with nothing: the storm guard waits the next step, 1.6 s.
    (await transport.nextRequest()).respond({ body: [] });
    await elapseBackoff(1_600);
    (await transport.nextRequest()).respond({ body: new ScriptedBody() });
  });
});

describe('siblings that share the evidence that the server is back', () => {
  it('cuts a backoff after a failure to a random 0–1 s when a sibling reaches the server after failures', async () => {
    const reachability = new ServerReachability();
    const first = startReflector({ reachability, random: () => 0.25 });
    const second = startReflector({ reachability, random: () => 0.25 });
    try {
      // Both fail twice in a row: 0.8 s, then (at the constant random 0.25) 1.6 × 0.75 = 1.2 s.
      for (const reflector of [first, second]) {
        (await reflector.transport.nextRequest()).respond({ status: 503, body: [serverError] });
        await reflector.elapseBackoff(600);
        (await reflector.transport.nextRequest()).respond({ status: 503, body: [serverError] });
        await eventually(() => expect(reflector.clock.nextTimerDelay).toBe(1_200));
      }
      // The first gets through: its list is answered. The second retries 250 ms later, not 1.2 s.
      first.clock.advance(1_200);
      (await first.transport.nextRequest()).respond({ body: [listBody([pod('a', '5')], '10')] });
      await eventually(() => expect(second.clock.nextTimerDelay).toBe(250));
      second.clock.advance(250);
      (await second.transport.nextRequest()).respond({ body: [listBody([pod('a', '5')], '10')] });
      // The evidence also ended its doubling: its next failure waits the first step again.
      (await second.transport.nextRequest()).respond({ status: 503, body: [serverError] });
      await second.elapseBackoff(600);
      (await second.transport.nextRequest()).respond({ body: new ScriptedBody() });
      (await first.transport.nextRequest()).respond({ body: new ScriptedBody() });
    } finally {
      await first.stop();
      await second.stop();
    }
  });

  it('keeps a 429 wait, and says nothing when the informer that got through had not failed', async () => {
    const reachability = new ServerReachability();
    const throttled = startReflector({ reachability });
    const healthy = startReflector({ reachability });
    try {
      (await throttled.transport.nextRequest()).respond({
        status: 429,
        headers: { 'retry-after': '5' },
        body: [statusBody(429, 'TooManyRequests')],
      });
      await eventually(() => expect(throttled.clock.nextTimerDelay).toBe(5_000));
      (await healthy.transport.nextRequest()).respond({ body: [listBody([pod('a', '5')], '10')] });
      const failing = startReflector({ reachability });
      current = failing;
      (await failing.transport.nextRequest()).respond({ status: 503, body: [serverError] });
      await eventually(() => expect(failing.clock.nextTimerDelay).toBe(800));
      // The healthy one's watch opens: it never failed, so it is no news to the one backing off.
      (await healthy.transport.nextRequest()).respond({ body: new ScriptedBody() });
      await eventually(() => expect(healthy.reflector.lastSyncResourceVersion).toBe('10'));
      expect(failing.clock.nextTimerDelay).toBe(800);
      expect(throttled.clock.nextTimerDelay).toBe(5_000);
    } finally {
      await throttled.stop();
      await healthy.stop();
    }
  });
});
