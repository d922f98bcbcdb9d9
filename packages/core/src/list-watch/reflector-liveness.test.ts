import { afterEach, describe, expect, it } from 'vitest';
import type { InformerHealth } from '../informer/informer-health.js';
import type { Transport, TransportResponse } from '../protocol/transport.js';
import {
  eventually,
  pod,
  pods,
  RecordingSink,
  startReflector,
  startWatchingReflector,
} from '../test-support/reflector-harness.js';
import { listBody, ScriptedBody, statusBody, watchLine } from '../test-support/scripted-transport.js';
import { ManualClock } from '../time/manual-clock.js';
import { HealthRecorder } from './health-recorder.js';
import { Reflector } from './reflector.js';
import { BookmarkCadence } from './requests/bookmark-cadence.js';
import { createBackoffPolicy } from './retry/backoff.js';

let current: ReturnType<typeof startReflector> | undefined;

afterEach(async () => {
  await current?.stop();
  current = undefined;
});

const watching = (options: Parameters<typeof startReflector>[0] = {}) =>
  startWatchingReflector(options, (started) => {
    current = started;
  });

const bookmarkLine = (resourceVersion: string) =>
  watchLine('BOOKMARK', { kind: 'Pod', metadata: { resourceVersion } });
const serverError = statusBody(500, 'InternalError', 'etcd down');

/** Sends a bookmark on `body` and waits until the reflector took it. */
async function bookmarkArrives(
  body: ScriptedBody,
  reflector: { readonly lastSyncResourceVersion: string | undefined },
  resourceVersion: string,
): Promise<void> {
  body.push(bookmarkLine(resourceVersion));
  await eventually(() => expect(reflector.lastSyncResourceVersion).toBe(resourceVersion));
}

describe('dead watch detection from the bookmark cadence', () => {
  for (const intervalMs of [1_000, 60_000]) {
    it(`replaces a black-holed watch within 3 × the bookmark interval + 1 s (${intervalMs} ms bookmarks)`, async () => {
      const { watch, transport, clock, reflector, errors } = await watching();
      const body = new ScriptedBody();
      watch.respond({ body });
      for (let version = 11; version <= 14; version += 1) {
        clock.advance(intervalMs);
        body.push(bookmarkLine(String(version)));
        await eventually(() => expect(reflector.lastSyncResourceVersion).toBe(String(version)));
      }
      // The socket stays open and sends nothing from here on.
      const limit = BookmarkCadence.silenceFactor * intervalMs + BookmarkCadence.graceMs;
      expect(limit).toBeLessThanOrEqual(3 * intervalMs + 1_000);
      clock.advance(limit - 1);
      expect(watch.signal.aborted).toBe(false);
      clock.advance(1);
      const rewatch = await transport.nextRequest();
      expect(watch.signal.aborted).toBe(true);
      expect(rewatch.query.resourceVersion).toBe('14');
      expect(errors.map((error) => error.code)).toEqual(['KI_WATCH_STALLED']);
      rewatch.respond({ body: new ScriptedBody() });
    });
  }

  it('holds the silence to the longest interval seen, counted from the last byte of any kind', async () => {
    const { watch, clock, reflector } = await watching();
    const body = new ScriptedBody(bookmarkLine('11'));
    watch.respond({ body });
    await eventually(() => expect(reflector.lastSyncResourceVersion).toBe('11'));
    clock.advance(4_000);
    await bookmarkArrives(body, reflector, '12');
    clock.advance(1_000);
    await bookmarkArrives(body, reflector, '13');
    // An event 5 s later restarts the silence; the limit stays 2.5 × 4 s + 1 s = 11 s from it.
    clock.advance(5_000);
    body.push(watchLine('ADDED', pod('b', '14')));
    await eventually(() => expect(reflector.lastSyncResourceVersion).toBe('14'));
    clock.advance(10_999);
    expect(watch.signal.aborted).toBe(false);
    clock.advance(1);
    await eventually(() => expect(watch.signal.aborted).toBe(true));
    (await current?.transport.nextRequest())?.respond({ body: new ScriptedBody() });
  });

  it('holds a replacement watch to the cadence learned, doubling the bound while watches stall without bookmarks', async () => {
    const { watch, transport, clock, reflector } = await watching();
    const body = new ScriptedBody(bookmarkLine('11'));
    watch.respond({ body });
    await eventually(() => expect(reflector.lastSyncResourceVersion).toBe('11'));
    clock.advance(2_000);
    await bookmarkArrives(body, reflector, '12');
    clock.advance(6_000);
    const second = await transport.nextRequest();
    expect(watch.signal.aborted).toBe(true);
    // The replacement answers headers, then nothing: 6 s (2.5 × 2 s + 1 s) is enough to call it dead.
    second.respond({ body: new ScriptedBody() });
    clock.advance(6_000);
    const third = await transport.nextRequest();
    expect(second.signal.aborted).toBe(true);
    // The second never proved the cadence: the third gets twice the silence, the fourth four times.
    third.respond({ body: new ScriptedBody() });
    clock.advance(11_999);
    expect(third.signal.aborted).toBe(false);
    clock.advance(1);
    const fourth = await transport.nextRequest();
    fourth.respond({ body: new ScriptedBody() });
    clock.advance(23_999);
    expect(fourth.signal.aborted).toBe(false);
    clock.advance(1);
    const fifth = await transport.nextRequest();
    const fifthBody = new ScriptedBody();
    fifth.respond({ body: fifthBody });
    // A bookmark proves the cadence again (1.5 s after the open: no longer than the 2 s learned), so the
    // bound is back to 6 s from it.
    clock.advance(1_500);
    await bookmarkArrives(fifthBody, reflector, '13');
    clock.advance(5_999);
    expect(fifth.signal.aborted).toBe(false);
    clock.advance(1);
    (await transport.nextRequest()).respond({ body: new ScriptedBody() });
    expect(fifth.signal.aborted).toBe(true);
  });

  it("allows a watch that has not bookmarked yet the silence of the API server's 60 s period: 151 s", async () => {
    const { watch, transport, clock, errors } = await watching();
    // Black-holed 100 ms after opening: headers, then nothing.
    watch.respond({ body: new ScriptedBody() });
    clock.advance(150_999);
    expect(watch.signal.aborted).toBe(false);
    clock.advance(1);
    const second = await transport.nextRequest();
    expect(watch.signal.aborted).toBe(true);
    expect(errors.map((error) => error.code)).toEqual(['KI_WATCH_STALLED']);
    // The replacement bookmarks 1 s after it opens, then goes silent: 2.5 × 1 s + 1 s later it is replaced.
    const body = new ScriptedBody();
    second.respond({ body });
    clock.advance(1_000);
    await bookmarkArrives(body, current!.reflector, '11');
    clock.advance(3_499);
    expect(second.signal.aborted).toBe(false);
    clock.advance(1);
    (await transport.nextRequest()).respond({ body: new ScriptedBody() });
    expect(second.signal.aborted).toBe(true);
  });

  it('replaces a watch black-holed after its first bookmark, 1 s after the open, within 3.5 s', async () => {
    const { watch, transport, clock, reflector } = await watching();
    const body = new ScriptedBody();
    watch.respond({ body });
    clock.advance(1_000);
    await bookmarkArrives(body, reflector, '11');
    clock.advance(3_499);
    expect(watch.signal.aborted).toBe(false);
    clock.advance(1);
    const rewatch = await transport.nextRequest();
    expect(watch.signal.aborted).toBe(true);
    expect(rewatch.query.resourceVersion).toBe('11');
    rewatch.respond({ body: new ScriptedBody() });
  });

  it('takes the period from bookmarkPeriodMs before a watch shows its own, and refuses a period that is not one', async () => {
    const { watch, transport, clock } = await watching({ bookmarkPeriodMs: 10_000 });
    watch.respond({ body: new ScriptedBody() });
    clock.advance(25_999);
    expect(watch.signal.aborted).toBe(false);
    clock.advance(1);
    (await transport.nextRequest()).respond({ body: new ScriptedBody() });
    expect(watch.signal.aborted).toBe(true);
    for (const bookmarkPeriodMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => new BookmarkCadence(bookmarkPeriodMs)).toThrow(/bookmarkPeriodMs/);
  });

  it('does not take the initial-events-end bookmark of a streaming list for a period', () => {
    const cadence = new BookmarkCadence();
    cadence.connectionOpened(0, false);
    cadence.bookmarkReceived(5_000);
    expect(cadence.intervalMs).toBeUndefined();
    cadence.bookmarkReceived(65_000);
    expect(cadence.intervalMs).toBe(60_000);
    // A first bookmark right after an ordinary open says nothing about the period either.
    cadence.connectionOpened(100_000);
    cadence.bookmarkReceived(100_500);
    expect(cadence.intervalMs).toBe(60_000);
  });
});

describe('backoff that knows about progress', () => {
  it('grows while watches fail in a row, starts over after a watch that delivered, which reopens at once', async () => {
    const { watch, transport, elapseBackoff, clock } = await watching();
    watch.respond({ status: 500, body: [serverError] });
    await elapseBackoff(800);
    (await transport.nextRequest()).respond({ status: 500, body: [serverError] });
    await elapseBackoff(1_600);
    // This one streams, then the connection breaks: it reopens at once from its last version.
    const streaming = await transport.nextRequest();
    streaming.respond({
      body: new ScriptedBody(watchLine('ADDED', pod('b', '11'))).fail(new Error('ECONNRESET')),
    });
    const reopened = await transport.nextRequest();
    expect(reopened.query.resourceVersion).toBe('11');
    expect(clock.pendingTimers).toBe(1); // the reopened request's stall guard, no backoff
    // The next failure waits the shortest backoff again, not 3.2 s.
    reopened.respond({ status: 500, body: [serverError] });
    await elapseBackoff(800);
    (await transport.nextRequest()).respond({ body: new ScriptedBody() });
  });

  it('starts over after a completed list, and keeps the 429 Retry-After', async () => {
    current = startReflector();
    const { transport, elapseBackoff } = current;
    (await transport.nextRequest()).respond({ status: 500, body: [serverError] });
    await elapseBackoff(800);
    (await transport.nextRequest()).respond({ body: [listBody([pod('a', '5')], '10')] });
    const watch = await transport.nextRequest();
    watch.respond({ status: 500, body: [serverError] });
    await elapseBackoff(800);
    const throttled = await transport.nextRequest();
    throttled.respond({
      status: 429,
      headers: { 'retry-after': '7' },
      body: [statusBody(429, 'TooManyRequests')],
    });
    await elapseBackoff(7_000);
    (await transport.nextRequest()).respond({ body: new ScriptedBody() });
  });
});

/** Requests answered at once by `answer`, with the clock time of each. */
class AnsweringTransport implements Transport {
  readonly times: number[] = [];

  constructor(
    private readonly clock: ManualClock,
    private readonly answer: (query: Readonly<Record<string, string | undefined>>) => TransportResponse,
  ) {}

  async request(request: Parameters<Transport['request']>[0]): Promise<TransportResponse> {
    this.times.push(this.clock.now());
    return this.answer(request.query ?? {});
  }
}

function body(...lines: string[]): AsyncIterable<Uint8Array> {
  return new ScriptedBody(...lines).end();
}

const failing =
  (status: number, headers: Record<string, string> = {}) =>
  () => ({
    status,
    headers,
    body: body(statusBody(status, 'Failure')),
  });

/** The most requests in any `windowMs` window. */
function busiestWindow(times: readonly number[], windowMs: number): number {
  let most = 0;
  for (let start = 0, end = 0; end < times.length; end += 1) {
    while ((times[end] as number) - (times[start] as number) >= windowMs) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe('no storm: at most 5 requests/s per informer over any 3 s window', () => {
  const scenarios = {
    'the server down': () => ({ networkError: true }),
    'every request answered 500': failing(500),
    'every request answered 429 without Retry-After': failing(429),
    'every request answered 429, Retry-After: 1': failing(429, { 'retry-after': '1' }),
    'lists served, every watch 500': (query: Readonly<Record<string, string | undefined>>) =>
      query.watch === 'true' ? failing(500)() : { status: 200, headers: {}, body: body(listBody([], '10')) },
    'lists served, every watch expired at once (a relist loop)': (
      query: Readonly<Record<string, string | undefined>>,
    ) =>
      query.watch === 'true'
        ? { status: 200, headers: {}, body: body(watchLine('ERROR', JSON.parse(statusBody(410, 'Expired')))) }
        : { status: 200, headers: {}, body: body(listBody([], '10')) },
    'lists served, every watch ends at once, empty': (
      query: Readonly<Record<string, string | undefined>>,
    ) => ({ status: 200, headers: {}, body: body(...(query.watch === 'true' ? [] : [listBody([], '10')])) }),
  };

  for (const [name, scenario] of Object.entries(scenarios)) {
    it(`${name}, for 10 simulated minutes, shortest jitter`, async () => {
      const clock = new ManualClock();
      const transport = new AnsweringTransport(clock, (query) => {
        const answer = scenario(query);
        if ('networkError' in answer) throw new Error('ECONNREFUSED');
        return answer as TransportResponse;
      });
      const controller = new AbortController();
      const reflector = new Reflector({
        transport,
        resource: pods,
        sink: new RecordingSink(),
        clock,
        // The shortest waits the jitter allows: half the nominal backoff.
        random: () => 0,
        backoff: createBackoffPolicy(),
        onError: () => undefined,
      });
      const running = reflector.run(controller.signal);
      while (clock.now() < 600_000) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        clock.runNext();
      }
      controller.abort();
      await running;
      const most = busiestWindow(transport.times, 3_000);
      console.log(`${name}: ${transport.times.length} requests in 600 s, at most ${most} in 3 s`);
      expect(most).toBeLessThanOrEqual(15);
      // And it keeps trying: a dead server is asked again at least every 30 s (+ its jitter).
      expect(transport.times.length).toBeGreaterThanOrEqual(20);
    });
  }
});

describe('health', () => {
  it('reports phase, activity, failures in a row and the last error, notifying on changes', async () => {
    const health = new HealthRecorder(0);
    const seen: InformerHealth[] = [];
    health.subscribe(() => seen.push(health.health()));
    current = startReflector({ health });
    const { transport, elapseBackoff, clock } = current;
    clock.advance(1_000);
    expect(health.health()).toMatchObject({ phase: 'listing', since: 0, consecutiveFailures: 0 });
    (await transport.nextRequest()).respond({ status: 500, body: [serverError] });
    await eventually(() => expect(health.health().phase).toBe('backingOff'));
    expect(health.health()).toMatchObject({
      retryAt: 1_800,
      consecutiveFailures: 1,
      lastError: { code: 'KI_API_SERVER_ERROR' },
      lastActivityAt: undefined,
    });
    await elapseBackoff(800);
    (await transport.nextRequest()).respond({ body: [listBody([pod('a', '5')], '10')] });
    const watch = await transport.nextRequest();
    expect(health.health()).toMatchObject({
      phase: 'watching',
      since: 1_800,
      retryAt: undefined,
      consecutiveFailures: 0,
      lastActivityAt: 1_800,
      lastError: { code: 'KI_API_SERVER_ERROR' },
    });
    const snapshot = health.health();
    expect(health.health()).toBe(snapshot);
    const stream = new ScriptedBody();
    watch.respond({ body: stream });
    clock.advance(5_000);
    stream.push(bookmarkLine('11'));
    await eventually(() => expect(health.health().lastActivityAt).toBe(6_800));
    // Entered listing; failed; backing off; listing; listed (failures reset); watching.
    expect(seen.map((entry) => [entry.phase, entry.consecutiveFailures])).toEqual([
      ['listing', 0],
      ['listing', 1],
      ['backingOff', 1],
      ['listing', 1],
      ['listing', 0],
      ['watching', 0],
    ]);
    await current.stop();
    current = undefined;
    expect(health.health().phase).toBe('stopped');
  });
});
