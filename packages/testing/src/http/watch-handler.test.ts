import { ManualClock } from '@kubeinformers/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { FakeApiServer } from '../fake-api-server.js';
import { StoredRevision } from '../storage/stored-revision.js';
import { call, WatchStream, within } from '../test-support/http-client.js';

let server: FakeApiServer;
const streams: WatchStream[] = [];
afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close();
  vi.restoreAllMocks();
  await server?.close();
});

const configMap = (name: string, labels: Record<string, string> = {}) => ({
  metadata: { name, labels },
  data: { key: name },
});

async function watch(path: string, headers: Record<string, string> = {}): Promise<WatchStream> {
  const stream = await WatchStream.open(`${server.url}${path}`, { headers });
  streams.push(stream);
  return stream;
}

const base = '/api/v1/namespaces/default/configmaps';

describe('watch', () => {
  it('sends synthetic ADDED events for resourceVersion unset or "0", then changes, with headers flushed at once', async () => {
    server = await FakeApiServer.start();
    server.store.create('configmaps', configMap('a'));
    server.store.create('configmaps', configMap('b'));
    for (const query of ['?watch=true', '?watch=1&resourceVersion=0']) {
      const stream = await watch(`${base}${query}`);
      expect(stream.status).toBe(200);
      expect(stream.response.headers['content-type']).toBe('application/json');
      const added = await stream.take(2);
      expect(added.map((event) => [event.type, event.object.metadata.name])).toEqual([
        ['ADDED', 'a'],
        ['ADDED', 'b'],
      ]);
      expect(added[0]!.object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1' });
    }
    const idle = await watch(`${base}?watch=1&resourceVersion=${server.resourceVersion}`);
    expect(idle.status).toBe(200); // headers arrived although no event has been written yet
    server.store.patch('configmaps', 'default/a', { data: { key: 'changed' } });
    const deleted = server.store.delete('configmaps', 'default/b');
    const [modified, gone] = await idle.take(2);
    expect(modified).toMatchObject({ type: 'MODIFIED', object: { data: { key: 'changed' } } });
    expect(gone).toMatchObject({
      type: 'DELETED',
      object: { metadata: { name: 'b', resourceVersion: deleted.metadata?.resourceVersion } },
    });
  });

  it('replays the history after a resourceVersion and answers an expired one with a single ERROR event', async () => {
    server = await FakeApiServer.start({ watchHistorySize: 3 });
    const first = server.store.create('configmaps', configMap('a'));
    for (const name of ['b', 'c', 'd']) server.store.create('configmaps', configMap(name));
    const resumed = await watch(`${base}?watch=1&resourceVersion=${Number(first.metadata?.resourceVersion)}`);
    expect((await resumed.take(3)).map((event) => event.object.metadata.name)).toEqual(['b', 'c', 'd']);

    const expiredVersion = Number(first.metadata?.resourceVersion) - 1;
    const expired = await watch(`${base}?watch=1&resourceVersion=${expiredVersion}`);
    expect(expired.status).toBe(200);
    const error = await expired.next();
    expect(error).toEqual({
      type: 'ERROR',
      object: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `too old resource version: ${expiredVersion} (${Number(first.metadata?.resourceVersion) + 1})`,
        reason: 'Expired',
        code: 410,
      },
    });
    await within(expired.ended, 2_000, 'end of the expired watch');
    expect(expired.pending).toBe(0);
  });

  it('turns selector transitions into DELETED and ADDED', async () => {
    server = await FakeApiServer.start();
    server.store.create('configmaps', configMap('a', { app: 'web' }));
    const stream = await watch(
      `${base}?watch=1&labelSelector=app%3Dweb&resourceVersion=${server.resourceVersion}`,
    );
    const left = server.store.patch('configmaps', 'default/a', { metadata: { labels: { app: 'db' } } });
    server.store.patch('configmaps', 'default/a', { data: { key: 'unseen' } });
    server.store.patch('configmaps', 'default/a', { metadata: { labels: { app: 'web' } } });
    const [leaving, entering] = await stream.take(2);
    expect(leaving!.type).toBe('DELETED');
    // The last state that matched, stamped with the resourceVersion of the change that made it leave.
    expect(leaving!.object.metadata.labels).toEqual({ app: 'web' });
    expect(leaving!.object.metadata.resourceVersion).toBe(left.metadata?.resourceVersion);
    expect(entering).toMatchObject({
      type: 'ADDED',
      object: { data: { key: 'unseen' }, metadata: { labels: { app: 'web' } } },
    });
  });

  it('sends bookmarks only when allowed, on demand and on an interval', async () => {
    const clock = new ManualClock();
    server = await FakeApiServer.start({ bookmarkIntervalMs: 60_000, clock });
    const withBookmarks = await watch(
      `${base}?watch=1&allowWatchBookmarks=true&resourceVersion=${server.resourceVersion}`,
    );
    const withoutBookmarks = await watch(`${base}?watch=1&resourceVersion=${server.resourceVersion}`);
    server.store.create('configmaps', configMap('a'));
    server.watches.sendBookmarks();
    const [added, bookmark] = await withBookmarks.take(2);
    expect(added!.type).toBe('ADDED');
    expect(bookmark).toEqual({
      type: 'BOOKMARK',
      object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: server.resourceVersion } },
    });
    clock.advance(60_000);
    expect((await withBookmarks.next()).type).toBe('BOOKMARK');
    clock.advance(60_000);
    expect((await withBookmarks.next()).type).toBe('BOOKMARK');
    server.store.create('configmaps', configMap('b'));
    expect((await withoutBookmarks.take(2)).map((event) => event.type)).toEqual(['ADDED', 'ADDED']);
  });

  it('ends the watch cleanly after timeoutSeconds', async () => {
    const clock = new ManualClock();
    server = await FakeApiServer.start({ clock });
    const stream = await watch(`${base}?watch=1&timeoutSeconds=30`);
    await vi.waitFor(() => expect(clock.pendingTimers).toBe(1), { timeout: 2_000 });
    let ended = false;
    void stream.ended.then(() => {
      ended = true;
    });
    clock.advance(29_999);
    server.store.create('configmaps', configMap('still-open'));
    expect((await stream.next()).object.metadata.name).toBe('still-open');
    expect(ended).toBe(false);
    clock.advance(1);
    await within(stream.ended, 2_000, 'end of the watch after timeoutSeconds');
    expect(stream.status).toBe(200);
  });

  it('streams the initial state with sendInitialEvents and marks its end with an annotated bookmark', async () => {
    server = await FakeApiServer.start();
    server.store.create('configmaps', configMap('a'));
    server.store.create('configmaps', configMap('b'));
    expect(
      (await call(`${server.url}${base}?watch=1&sendInitialEvents=true&allowWatchBookmarks=true`)).status,
    ).toBe(422);
    expect(
      (await call(`${server.url}${base}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan`))
        .status,
    ).toBe(422);
    const stream = await watch(
      `${base}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`,
    );
    const events = await stream.take(3);
    expect(events.map((event) => event.type)).toEqual(['ADDED', 'ADDED', 'BOOKMARK']);
    expect(events[2]!.object.metadata).toEqual({
      resourceVersion: server.resourceVersion,
      annotations: { 'k8s.io/initial-events-end': 'true' },
    });
    server.store.create('configmaps', configMap('c'));
    expect((await stream.next()).object.metadata.name).toBe('c');
  });

  it('waits for a resourceVersion ahead of the server, then answers 504', async () => {
    const clock = new ManualClock();
    server = await FakeApiServer.start({ tooLargeResourceVersionWaitMs: 1_000, clock });
    const target = Number(server.resourceVersion) + 1;
    const pending = WatchStream.open(`${server.url}${base}?watch=1&resourceVersion=${target}`);
    // The request is parked (its deadline is the one pending timer) until the store reaches the version.
    await vi.waitFor(() => expect(clock.pendingTimers).toBe(1), { timeout: 2_000 });
    expect(server.describe().watches).toBe(0);
    server.store.create('configmaps', configMap('reached'));
    const reached = await within(pending, 2_000, 'watch after the resourceVersion was reached');
    streams.push(reached);
    expect(reached.status).toBe(200);
    server.store.create('configmaps', configMap('next'));
    expect((await reached.next()).object.metadata.name).toBe('next');

    const timers = clock.pendingTimers;
    const ahead = call(`${server.url}${base}?watch=1&resourceVersion=999`);
    await vi.waitFor(() => expect(clock.pendingTimers).toBe(timers + 1), { timeout: 2_000 });
    clock.advance(1_000);
    const refused = await ahead;
    expect(refused.status).toBe(504);
    expect(refused.json.details.causes[0].reason).toBe('ResourceVersionTooLarge');
  });

  it('serves metadata-only watches and watches of one named object', async () => {
    server = await FakeApiServer.start();
    server.store.create('configmaps', configMap('a'));
    server.store.create('configmaps', configMap('b'));
    const partial = await watch(`${base}?watch=1`, {
      accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
    });
    expect((await partial.next()).object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: expect.objectContaining({ name: 'a' }),
    });
    const named = await watch(`${base}?watch=1&fieldSelector=metadata.name%3Db`);
    expect((await named.next()).object.metadata.name).toBe('b');
    const byPath = await watch(`${base}/b?watch=1`);
    expect((await byPath.next()).object.metadata.name).toBe('b');
  });

  it('serves watches over WebSocket, one event per text message', async () => {
    server = await FakeApiServer.start();
    server.store.create('configmaps', configMap('a'));
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}${base}?watch=1`);
    const messages: string[] = [];
    socket.on('message', (data, isBinary) => {
      expect(isBinary).toBe(false);
      messages.push(data.toString());
    });
    await within(new Promise((resolve) => socket.once('open', resolve)), 2_000, 'WebSocket open');
    server.store.create('configmaps', configMap('b'));
    await vi.waitFor(() => expect(messages).toHaveLength(2), { timeout: 2_000 });
    expect(messages.map((message) => JSON.parse(message).object.metadata.name)).toEqual(['a', 'b']);
    expect(messages.every((message) => !message.includes('\n'))).toBe(true);
    socket.close();
    const refused = new WebSocket(
      `${server.url.replace('http', 'ws')}${base}?watch=1&resourceVersionMatch=Exact`,
    );
    const status = await within(
      new Promise<number>((resolve) =>
        refused.once('unexpected-response', (_, response) => resolve(response.statusCode ?? 0)),
      ),
      2_000,
      'refusal of an invalid WebSocket watch',
    );
    expect(status).toBe(422);
  });

  it('serializes an event once per projection however many watchers receive it', async () => {
    server = await FakeApiServer.start();
    const watchers = await Promise.all(
      Array.from({ length: 5 }, () => watch(`${base}?watch=1&resourceVersion=${server.resourceVersion}`)),
    );
    const serialize = vi.spyOn(StoredRevision.prototype, 'fullJson');
    server.store.create('configmaps', configMap('a'));
    for (const stream of watchers) expect((await stream.next()).object.metadata.name).toBe('a');
    expect(serialize).toHaveBeenCalledTimes(1);
  });

  it('paces a fast producer by the socket of a slow reader', async () => {
    server = await FakeApiServer.start();
    server.store.create('configmaps', configMap('a'));
    const stream = await watch(`${base}?watch=1&resourceVersion=${server.resourceVersion}`);
    stream.response.pause();
    let finished = false;
    const churn = server.churn({ resource: 'configmaps', count: 20_000, batchSize: 1_000 }).then((result) => {
      finished = true;
      return result;
    });
    // The producer stops at a batch once the paused reader's socket is full.
    await vi.waitFor(() => expect(server.watches.backlog).toBeGreaterThan(0), { timeout: 5_000 });
    expect(finished).toBe(false);
    expect(server.watches.backlog).toBeLessThanOrEqual(1_000);
    stream.response.resume();
    const result = await within(churn, 30_000, 'churn completion');
    expect(result.modified).toBe(20_000);
    let last = '';
    for (let index = 0; index < 20_000; index += 1)
      last = (await stream.next()).object.metadata.resourceVersion;
    expect(last).toBe(result.resourceVersion);
  });
});
