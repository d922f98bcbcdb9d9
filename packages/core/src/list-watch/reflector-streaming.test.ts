import { afterEach, describe, expect, it } from 'vitest';
import { eventually, pod, startReflector } from '../test-support/reflector-harness.js';
import { listBody, ScriptedBody, statusBody, watchLine } from '../test-support/scripted-transport.js';

let current: ReturnType<typeof startReflector> | undefined;

afterEach(async () => {
  await current?.stop();
  current = undefined;
});

function start() {
  current = startReflector({ streamingInitialList: true, pageSize: 2 });
  return current;
}

const endBookmark = (resourceVersion: string) =>
  watchLine('BOOKMARK', {
    kind: 'Pod',
    metadata: { resourceVersion, annotations: { 'k8s.io/initial-events-end': 'true' } },
  });
const plainBookmark = (resourceVersion: string) =>
  watchLine('BOOKMARK', { kind: 'Pod', metadata: { resourceVersion } });

describe('Reflector streaming initial list', () => {
  it('asks for initial events and swaps them in atomically at the end bookmark, then keeps watching', async () => {
    const { transport, sink, progress, reflector } = start();
    const stream = await transport.nextRequest();
    expect(stream.query).toEqual({
      watch: 'true',
      sendInitialEvents: 'true',
      resourceVersionMatch: 'NotOlderThan',
      allowWatchBookmarks: 'true',
      timeoutSeconds: '450',
    });
    const body = new ScriptedBody(watchLine('ADDED', pod('a', '3')), watchLine('ADDED', pod('b', '4')));
    stream.respond({ body });
    body.push(watchLine('ADDED', pod('c', '5')));
    await eventually(() => expect(progress).toEqual([2]));
    expect(sink.calls).toEqual([]);
    expect(reflector.lastSyncResourceVersion).toBeUndefined();
    body.push(endBookmark('6'), watchLine('MODIFIED', pod('a', '7')));
    await eventually(() =>
      expect(sink.calls).toEqual([
        ['replace', ['a', 'b', 'c'], '6'],
        ['apply', 'MODIFIED', 'a', '7'],
      ]),
    );
    expect(reflector.lastSyncResourceVersion).toBe('7');
    // The same connection went on as the watch.
    expect(transport.requests).toHaveLength(1);
    body.end();
    const rewatch = await transport.nextRequest();
    expect(rewatch.query).toEqual({
      watch: 'true',
      allowWatchBookmarks: 'true',
      timeoutSeconds: '450',
      resourceVersion: '7',
    });
    rewatch.respond({ body: new ScriptedBody() });
  });

  it.each([400, 403, 422])('falls back to list+watch for good when the server answers %i', async (code) => {
    const { transport, sink, errors } = start();
    (await transport.nextRequest()).respond({
      status: code,
      body: [statusBody(code, 'Invalid', 'sendInitialEvents is forbidden')],
    });
    const list = await transport.nextRequest();
    expect(list.query).toEqual({ limit: '2' });
    list.respond({ body: [listBody([pod('a', '3')], '8')] });
    const watch = await transport.nextRequest();
    expect(sink.calls).toEqual([['replace', ['a'], '8']]);
    expect(errors).toEqual([]);
    // A later relist lists again instead of streaming.
    watch.respond({
      body: new ScriptedBody(plainBookmark('9'), watchLine('ERROR', { kind: 'Status', code: 410 })),
    });
    const relist = await transport.nextRequest();
    expect(relist.query).toEqual({ limit: '2', resourceVersion: '9', resourceVersionMatch: 'NotOlderThan' });
    relist.respond({ body: [listBody([], '12')] });
    (await transport.nextRequest()).respond({ body: new ScriptedBody() });
  });

  it('falls back when the server ignores sendInitialEvents (a bookmark without the annotation)', async () => {
    const { transport, sink } = start();
    const stream = await transport.nextRequest();
    stream.respond({ body: new ScriptedBody(watchLine('ADDED', pod('a', '3')), plainBookmark('5')) });
    const list = await transport.nextRequest();
    expect(stream.signal.aborted).toBe(true);
    expect(list.query).toEqual({ limit: '2' });
    list.respond({ body: [listBody([pod('a', '3'), pod('b', '4')], '5')] });
    (await transport.nextRequest()).respond({ body: new ScriptedBody() });
    expect(sink.calls).toEqual([['replace', ['a', 'b'], '5']]);
  });

  it('restarts the stream after a failure, dropping what the broken one sent', async () => {
    const { transport, sink, errors, elapseBackoff } = start();
    (await transport.nextRequest()).respond({
      body: new ScriptedBody(watchLine('ADDED', pod('gone', '3'))).fail(new Error('ECONNRESET')),
    });
    await elapseBackoff(800);
    const retry = await transport.nextRequest();
    expect(retry.query.sendInitialEvents).toBe('true');
    retry.respond({ body: new ScriptedBody(watchLine('ADDED', pod('a', '4')), endBookmark('5')) });
    await eventually(() => expect(sink.calls).toEqual([['replace', ['a'], '5']]));
    expect(errors.map((error) => error.code)).toEqual(['KI_TRANSPORT_ERROR']);
  });

  it('relists by stream after a 410, at the last version first', async () => {
    const { transport, sink } = start();
    (await transport.nextRequest()).respond({
      body: new ScriptedBody(
        watchLine('ADDED', pod('a', '3')),
        endBookmark('5'),
        watchLine('ADDED', pod('b', '6')),
        watchLine('ERROR', { kind: 'Status', code: 410, reason: 'Expired' }),
      ),
    });
    const relist = await transport.nextRequest();
    expect(relist.query).toMatchObject({
      sendInitialEvents: 'true',
      resourceVersion: '6',
      resourceVersionMatch: 'NotOlderThan',
    });
    relist.respond({ body: new ScriptedBody(watchLine('ADDED', pod('b', '6')), endBookmark('9')) });
    await eventually(() => expect(sink.calls.at(-1)).toEqual(['replace', ['b'], '9']));
  });
});
