import { afterEach, describe, expect, it } from 'vitest';
import { eventually, pod, startReflector } from '../test-support/reflector-harness.js';
import type { RecordedRequest } from '../test-support/scripted-transport.js';
import { listBody, ScriptedBody, statusBody, watchLine } from '../test-support/scripted-transport.js';

let current: ReturnType<typeof startReflector> | undefined;

afterEach(async () => {
  await current?.stop();
  current = undefined;
});

/** A reflector that listed `a` at version 10 and has its watch request pending. */
async function watching(options?: Parameters<typeof startReflector>[0]) {
  current = startReflector(options);
  current.transport.reply({ body: [listBody([pod('a', '5')], '10')] });
  const watch = await current.transport.nextRequest();
  expect(watch.query.resourceVersion).toBe('10');
  return { ...current, watch };
}

const lists = (requests: readonly RecordedRequest[]) =>
  requests.filter((request) => request.query.watch !== 'true');
const watches = (requests: readonly RecordedRequest[]) =>
  requests.filter((request) => request.query.watch === 'true');
const bookmarkLine = (resourceVersion: string) =>
  watchLine('BOOKMARK', { kind: 'Pod', metadata: { resourceVersion } });

describe('Reflector watch', () => {
  it('applies events in order and advances the version with every event and bookmark', async () => {
    const { watch, sink, reflector } = await watching();
    const body = new ScriptedBody(watchLine('ADDED', pod('b', '11')), watchLine('MODIFIED', pod('a', '12')));
    watch.respond({ body });
    body.push(bookmarkLine('15'), watchLine('DELETED', pod('b', '16')).slice(0, 20));
    await eventually(() => expect(reflector.lastSyncResourceVersion).toBe('15'));
    body.push(watchLine('DELETED', pod('b', '16')).slice(20));
    await eventually(() =>
      expect(sink.calls).toEqual([
        ['replace', ['a'], '10'],
        ['apply', 'ADDED', 'b', '11'],
        ['apply', 'MODIFIED', 'a', '12'],
        ['bookmark', '15'],
        ['apply', 'DELETED', 'b', '16'],
      ]),
    );
    expect(reflector.lastSyncResourceVersion).toBe('16');
  });

  it('rewatches from the last version after a clean end, without relisting', async () => {
    const { watch, transport, clock } = await watching();
    watch.respond({ body: [watchLine('ADDED', pod('b', '11')), bookmarkLine('14')] });
    const rewatch = await transport.nextRequest();
    expect(rewatch.query).toMatchObject({ watch: 'true', resourceVersion: '14' });
    expect(lists(transport.requests)).toHaveLength(1);
    expect(clock.now()).toBe(0);
    rewatch.respond({ body: new ScriptedBody() });
  });

  it('backs off instead of spinning when a watch ends at once with nothing', async () => {
    const { watch, transport, elapseBackoff, errors } = await watching();
    watch.respond({ body: [] });
    await elapseBackoff(800);
    const second = await transport.nextRequest();
    second.respond({ body: [] });
    await elapseBackoff(1_600);
    const third = await transport.nextRequest();
    expect(third.query.resourceVersion).toBe('10');
    expect(errors).toEqual([]);
    third.respond({ body: new ScriptedBody() });
  });

  it('relists exactly once, at once, on an HTTP 410 that follows a healthy watch, then watches from the relist', async () => {
    const { watch, transport, sink } = await watching();
    const body = new ScriptedBody(watchLine('ADDED', pod('b', '11')));
    watch.respond({ body });
    await eventually(() => expect(sink.calls).toHaveLength(2));
    body.end();
    const rewatch = await transport.nextRequest();
    rewatch.respond({ status: 410, body: [statusBody(410, 'Expired', 'too old resource version: 11 (20)')] });
    // The expired watch delivered nothing, but the one before it did: the relist follows at once.
    const relist = await transport.nextRequest();
    expect(relist.query).toEqual({
      limit: '500',
      resourceVersion: '11',
      resourceVersionMatch: 'NotOlderThan',
    });
    relist.respond({ body: [listBody([pod('c', '19')], '21')] });
    const next = await transport.nextRequest();
    expect(next.query).toMatchObject({ watch: 'true', resourceVersion: '21' });
    expect(lists(transport.requests)).toHaveLength(2);
    expect(sink.calls.at(-1)).toEqual(['replace', ['c'], '21']);
    next.respond({ body: new ScriptedBody() });
  });

  it('relists exactly once, at once, on an ERROR event with code 410 after events', async () => {
    const { watch, transport, sink, errors, clock } = await watching();
    const expired = {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      code: 410,
      reason: 'Expired',
      message: 'too old',
    };
    watch.respond({
      body: new ScriptedBody(watchLine('MODIFIED', pod('a', '13')), watchLine('ERROR', expired)),
    });
    const relist = await transport.nextRequest();
    expect(relist.query).toEqual({
      limit: '500',
      resourceVersion: '13',
      resourceVersionMatch: 'NotOlderThan',
    });
    expect(watch.signal.aborted).toBe(true);
    expect(clock.now()).toBe(0);
    relist.respond({ body: [listBody([pod('a', '13')], '30')] });
    (await transport.nextRequest()).respond({ body: new ScriptedBody() });
    expect(lists(transport.requests)).toHaveLength(2);
    expect(sink.calls.filter((call) => call[0] === 'replace')).toHaveLength(2);
    expect(errors).toEqual([]);
  });

  it('relists with no version when the relist at the last version is itself expired', async () => {
    const { watch, transport, sink } = await watching();
    watch.respond({
      body: new ScriptedBody(bookmarkLine('12'), watchLine('ERROR', { kind: 'Status', code: 410 })),
    });
    const relist = await transport.nextRequest();
    relist.respond({ status: 410, body: [statusBody(410, 'Expired')] });
    const fresh = await transport.nextRequest();
    expect(fresh.query).toEqual({ limit: '500' });
    fresh.respond({ body: [listBody([], '40')] });
    (await transport.nextRequest()).respond({ body: new ScriptedBody() });
    expect(sink.calls.at(-1)).toEqual(['replace', [], '40']);
  });

  it('relists with no version after a 504 ResourceVersionTooLarge', async () => {
    const { watch, transport } = await watching();
    const tooLarge = statusBody(504, 'Timeout', 'Too large resource version: 10, current: 9', {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    });
    watch.respond({ status: 504, body: [tooLarge] });
    await current?.elapseBackoff(800);
    const relist = await transport.nextRequest();
    expect(relist.query).toEqual({ limit: '500' });
    relist.respond({ body: [listBody([], '12')] });
    (await transport.nextRequest()).respond({ body: new ScriptedBody() });
  });

  it('backs off on 5xx and network errors along the schedule, then rewatches from the last version', async () => {
    const { watch, transport, elapseBackoff, errors } = await watching();
    watch.respond({ status: 500, body: [statusBody(500, 'InternalError')] });
    const delays = [800, 1_600, 3_200, 6_400, 12_800, 25_600, 30_000, 30_000];
    for (const [index, delay] of delays.entries()) {
      await elapseBackoff(delay);
      const retry = await transport.nextRequest();
      expect(retry.query.resourceVersion).toBe('10');
      if (index < delays.length - 1) {
        retry.respond(
          index % 2 === 0
            ? { networkError: new Error('ECONNRESET') }
            : { status: 503, body: [statusBody(503, 'ServiceUnavailable')] },
        );
      } else {
        retry.respond({ body: new ScriptedBody() });
      }
    }
    expect(watches(transport.requests)).toHaveLength(delays.length + 1);
    expect(errors.map((error) => error.code)).toEqual([
      'KI_API_SERVER_ERROR',
      ...delays
        .slice(0, -1)
        .map((_, index) => (index % 2 === 0 ? 'KI_TRANSPORT_ERROR' : 'KI_API_SERVER_ERROR')),
    ]);
  });

  it('honours Retry-After on a throttled watch, and surfaces 401/403 while retrying', async () => {
    const { watch, transport, elapseBackoff, errors } = await watching();
    watch.respond({
      status: 429,
      headers: { 'retry-after': '7' },
      body: [statusBody(429, 'TooManyRequests')],
    });
    await elapseBackoff(7_000);
    (await transport.nextRequest()).respond({ status: 403, body: [statusBody(403, 'Forbidden')] });
    await elapseBackoff(1_600);
    (await transport.nextRequest()).respond({ status: 401, body: [statusBody(401, 'Unauthorized')] });
    await elapseBackoff(3_200);
    (await transport.nextRequest()).respond({ body: new ScriptedBody() });
    expect(errors.map((error) => error.code)).toEqual([
      'KI_TOO_MANY_REQUESTS',
      'KI_API_FORBIDDEN',
      'KI_API_UNAUTHORIZED',
    ]);
  });

  it('surfaces an ERROR event with another code, backs off and rewatches', async () => {
    const { watch, transport, elapseBackoff, errors } = await watching();
    const internal = {
      kind: 'Status',
      status: 'Failure',
      code: 500,
      reason: 'InternalError',
      message: 'etcd down',
    };
    watch.respond({ body: new ScriptedBody(watchLine('ERROR', internal)) });
    await elapseBackoff(800);
    (await transport.nextRequest()).respond({ body: new ScriptedBody() });
    expect(errors[0]).toMatchObject({ code: 'KI_API_SERVER_ERROR', statusCode: 500 });
    expect(errors[0]?.message).toContain('etcd down');
  });

  it('treats a watch with no bookmarks as dead after 151 s of silence, doubling per silent watch up to timeoutSeconds plus the grace', async () => {
    const { watch, transport, clock, errors } = await watching();
    const body = new ScriptedBody(watchLine('ADDED', pod('b', '11')));
    watch.respond({ body });
    await eventually(() => expect(current?.sink.calls).toHaveLength(2));
    clock.advance(100_000);
    body.push(watchLine('MODIFIED', pod('b', '12')));
    await eventually(() => expect(current?.reflector.lastSyncResourceVersion).toBe('12'));
    // Bytes reset the clock: 2.5 × 60 s + 1 s of silence from the last byte, not from the start.
    clock.advance(150_999);
    expect(watch.signal.aborted).toBe(false);
    clock.advance(1);
    const rewatch = await transport.nextRequest();
    expect(watch.signal.aborted).toBe(true);
    expect(rewatch.query.resourceVersion).toBe('12');
    expect(errors.map((error) => error.code)).toEqual(['KI_WATCH_STALLED']);
    // A server that sends no bookmarks: each silent watch doubles the bound (302 s), up to 450 s + 30 s.
    rewatch.respond({ body: new ScriptedBody() });
    clock.advance(301_999);
    expect(rewatch.signal.aborted).toBe(false);
    clock.advance(1);
    const third = await transport.nextRequest();
    third.respond({ body: new ScriptedBody() });
    clock.advance(479_999);
    expect(third.signal.aborted).toBe(false);
    clock.advance(1);
    (await transport.nextRequest()).respond({ body: new ScriptedBody() });
    expect(third.signal.aborted).toBe(true);
  });

  it.each([false, true])(
    'never applies a malformed line: typed error, then a rewatch at once from the last good version (pruneManagedFields: %s)',
    async (pruneManagedFields) => {
      for (const bad of [
        '{"type":"ADDED","object":{"metadata":{"name":"x"',
        '{"type":"ADDED","object":{"metadata":{}}}',
        '{"type":"ADDED","object":{"metadata":{"managedFields":[]}}}',
        '{"type":"ADDED","object":{"metadata":{"name":"x","managedFields":[1,]}}}',
        '{"type":"ADDED","object":{"metadata":{"name":"x","managedFields":[] "uid":"u"}}}',
        '{"type":"RESYNC","object":{}}',
      ]) {
        const { watch, transport, sink, errors } = await watching({ pruneManagedFields });
        watch.respond({
          body: new ScriptedBody(
            watchLine('ADDED', pod('b', '11')),
            `${bad}\n`,
            watchLine('ADDED', pod('c', '12')),
          ),
        });
        // The watch delivered something before the bad line: it reopens without a backoff.
        const rewatch = await transport.nextRequest();
        expect(rewatch.query.resourceVersion).toBe('11');
        expect(sink.calls).toEqual([
          ['replace', ['a'], '10'],
          ['apply', 'ADDED', 'b', '11'],
        ]);
        expect(errors.map((error) => error.code)).toEqual(['KI_MALFORMED_WATCH_EVENT']);
        rewatch.respond({ body: new ScriptedBody() });
        await current?.stop();
      }
      current = undefined;
    },
  );

  it('rejects a line above the maximum size and a truncated stream without applying them', async () => {
    const { watch, transport, sink, errors, elapseBackoff } = await watching();
    watch.respond({ body: new ScriptedBody('{"type":"ADDED"').fail(new Error('terminated')) });
    await elapseBackoff(800);
    expect(errors.map((error) => error.code)).toEqual(['KI_TRANSPORT_ERROR']);
    (await transport.nextRequest()).respond({ body: [watchLine('ADDED', pod('b', '11')).slice(0, 25)] });
    await elapseBackoff(1_600);
    expect(errors.map((error) => error.code)).toEqual(['KI_TRANSPORT_ERROR', 'KI_MALFORMED_WATCH_EVENT']);
    const huge = new ScriptedBody(
      `{"type":"ADDED","object":{"metadata":{"name":"${'x'.repeat(16 * 1024 * 1024)}`,
    );
    (await transport.nextRequest()).respond({ body: huge });
    await elapseBackoff(3_200);
    expect(errors.at(-1)).toMatchObject({ code: 'KI_WATCH_LINE_TOO_LONG', maxLineLength: 16 * 1024 * 1024 });
    (await transport.nextRequest()).respond({ body: new ScriptedBody() });
    expect(sink.calls).toEqual([['replace', ['a'], '10']]);
  });
});
