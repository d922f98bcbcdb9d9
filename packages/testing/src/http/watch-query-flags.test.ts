import { afterEach, describe, expect, it } from 'vitest';
import { FakeApiServer } from '../fake-api-server.js';
import { call, WatchStream } from '../test-support/http-client.js';

let server: FakeApiServer;
afterEach(async () => {
  await server?.close();
});

describe('boolean query parameters over HTTP', () => {
  it('watch=True (the Python client) opens a watch, watch=False lists, allowWatchBookmarks=True gets bookmarks', async () => {
    server = await FakeApiServer.start();
    server.store.create('configmaps', { metadata: { name: 'one' } });
    const listed = await call(`${server.url}/api/v1/namespaces/default/configmaps?watch=False`);
    expect(listed.json.kind).toBe('ConfigMapList');
    const rv = listed.json.metadata.resourceVersion as string;
    const watch = await WatchStream.open(
      `${server.url}/api/v1/namespaces/default/configmaps?watch=True&resourceVersion=${rv}&allowWatchBookmarks=True&timeoutSeconds=30`,
    );
    server.store.create('configmaps', { metadata: { name: 'two' } });
    expect(await watch.next()).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'two' } } });
    server.watches.sendBookmarks();
    expect((await watch.next()).type).toBe('BOOKMARK');
    watch.close();
  });
});
