import { afterEach, describe, expect, it } from 'vitest';
import { FakeApiServer } from '../fake-api-server.js';
import { call, WatchStream } from '../test-support/http-client.js';
import { queryFlag, queryOptionalFlag } from './query-parameters.js';

let server: FakeApiServer;
afterEach(async () => {
  await server?.close();
});

describe('boolean query parameters', () => {
  it('are false only for 0 and false in any case, like the API server', () => {
    const flag = (text: string) => queryFlag(new URLSearchParams(text), 'watch');
    for (const truthy of [
      'watch=true',
      'watch=True',
      'watch=1',
      'watch=yes',
      'watch=',
      'watch=TRUE&watch=false',
    ]) {
      expect(flag(truthy), truthy).toBe(true);
    }
    for (const falsy of ['', 'watch=false', 'watch=False', 'watch=FALSE', 'watch=0', 'watch=0&watch=1']) {
      expect(flag(falsy), falsy).toBe(false);
    }
    expect(queryOptionalFlag(new URLSearchParams(''), 'sendInitialEvents')).toBeUndefined();
    expect(queryOptionalFlag(new URLSearchParams('sendInitialEvents=False'), 'sendInitialEvents')).toBe(
      false,
    );
  });

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
