import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../protocol/kube-object.js';
import { defineResource } from '../protocol/resource-descriptor.js';
import type { TransportResponse } from '../protocol/transport.js';
import { ManualClock } from '../time/manual-clock.js';
import { InMemoryApi } from './in-memory-api.js';

const pods = defineResource<KubeObject>({
  group: '',
  version: 'v1',
  resource: 'pods',
  kind: 'Pod',
  namespaced: true,
});
const decoder = new TextDecoder();

async function json(response: TransportResponse): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of response.body) text += decoder.decode(chunk);
  return JSON.parse(text);
}

/** Reads `count` watch lines, then stops reading (which must release the watch). */
async function lines(
  response: TransportResponse,
  count: number,
): Promise<{ type: string; object: KubeObject }[]> {
  const events: { type: string; object: KubeObject }[] = [];
  if (count === 0) return events;
  for await (const chunk of response.body) {
    events.push(JSON.parse(decoder.decode(chunk)));
    if (events.length === count) break;
  }
  return events;
}

function seeded(names: string[]) {
  const api = new InMemoryApi();
  for (const name of names)
    api.create(pods, { metadata: { name, labels: { app: name.startsWith('web') ? 'web' : 'db' } } });
  return api;
}

const signal = new AbortController().signal;

describe('InMemoryApi', () => {
  it('paginates one snapshot with continue tokens, and expires them on compaction', async () => {
    const api = seeded(['a', 'b', 'c']);
    const first = await json(await api.request({ path: '/api/v1/pods', query: { limit: '2' }, signal }));
    expect(first).toMatchObject({
      kind: 'PodList',
      metadata: { resourceVersion: '4', remainingItemCount: 1 },
    });
    api.create(pods, { metadata: { name: 'd' } });
    const token = (first.metadata as { continue: string }).continue;
    const second = await json(
      await api.request({ path: '/api/v1/pods', query: { limit: '2', continue: token }, signal }),
    );
    expect((second.items as KubeObject[]).map((item) => item.metadata?.name)).toEqual(['c']);
    expect(second.metadata).toEqual({ resourceVersion: '4' });

    const again = await json(await api.request({ path: '/api/v1/pods', query: { limit: '1' }, signal }));
    const continueAgain = () =>
      api.request({
        path: '/api/v1/pods',
        query: { limit: '1', continue: (again.metadata as { continue: string }).continue },
        signal,
      });
    // etcd keeps the compacted revision itself readable: the token expires only once history moved on.
    api.compact();
    expect((await continueAgain()).status).toBe(200);
    api.create(pods, { metadata: { name: 'e' } });
    api.compact();
    const expired = await continueAgain();
    expect(expired.status).toBe(410);
    expect(await json(expired)).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
  });

  it('watches from a version, replaying history and then live changes with selector enter/leave', async () => {
    const api = seeded(['web-1', 'db-1']);
    const response = await api.request({
      path: '/api/v1/namespaces/default/pods',
      query: { watch: 'true', resourceVersion: '2', labelSelector: 'app=web' },
      signal,
    });
    expect(api.openWatches).toBe(1);
    api.update(pods, { metadata: { name: 'db-1', namespace: 'default', labels: { app: 'web' } } });
    api.update(pods, { metadata: { name: 'web-1', namespace: 'default', labels: { app: 'db' } } });
    api.delete(pods, 'default/db-1');
    const events = await lines(response, 3);
    expect(
      events.map(({ type, object }) => [type, object.metadata?.name, object.metadata?.resourceVersion]),
    ).toEqual([
      ['ADDED', 'db-1', '4'],
      ['DELETED', 'web-1', '5'],
      ['DELETED', 'db-1', '6'],
    ]);
    expect(api.openWatches).toBe(0);
  });

  it('answers a watch from a compacted version with a 410 ERROR event', async () => {
    const api = seeded(['a']);
    api.compact();
    const response = await api.request({
      path: '/api/v1/pods',
      query: { watch: '1', resourceVersion: '1' },
      signal,
    });
    expect(response.status).toBe(200);
    const events = await lines(response, 1);
    expect(events[0]).toMatchObject({ type: 'ERROR', object: { code: 410, reason: 'Expired' } });
  });

  it('sends synthetic adds from version 0, bookmarks, streaming-list ends, and ends watches on drop, timeout and abort', async () => {
    const clock = new ManualClock();
    const api = new InMemoryApi(clock);
    api.create(pods, { metadata: { name: 'a' } });
    const stream = await api.request({
      path: '/api/v1/pods',
      query: {
        watch: 'true',
        sendInitialEvents: 'true',
        resourceVersionMatch: 'NotOlderThan',
        allowWatchBookmarks: 'true',
      },
      signal,
    });
    api.bookmark();
    api.dropWatches();
    const events = await lines(stream, 10);
    expect(events.map((event) => event.type)).toEqual(['ADDED', 'BOOKMARK', 'BOOKMARK']);
    expect(events[1]?.object.metadata?.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });

    const timed = await api.request({
      path: '/api/v1/pods',
      query: { watch: 'true', resourceVersion: '2', timeoutSeconds: '300' },
      signal,
    });
    expect(clock.pendingTimers).toBe(1);
    clock.advance(300_000);
    expect(await lines(timed, 10)).toEqual([]);
    expect(clock.pendingTimers).toBe(0);

    const controller = new AbortController();
    const aborted = await api.request({
      path: '/api/v1/pods',
      query: { watch: 'true', resourceVersion: '2' },
      signal: controller.signal,
    });
    const reading = lines(aborted, 10);
    controller.abort(new Error('stop'));
    await expect(reading).rejects.toThrow('stop');
    expect(api.openWatches).toBe(0);
  });

  it('serves metadata-only lists', async () => {
    const api = seeded(['a']);
    const list = await json(
      await api.request({
        path: '/api/v1/pods',
        headers: { accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1' },
        signal,
      }),
    );
    expect(list).toMatchObject({
      kind: 'PartialObjectMetadataList',
      items: [{ kind: 'PartialObjectMetadata', metadata: { name: 'a' } }],
    });
  });
});
