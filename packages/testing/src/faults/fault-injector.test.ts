import { ManualClock } from '@kubeinformers/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeApiServer } from '../fake-api-server.js';
import { call, WatchStream, within } from '../test-support/http-client.js';

let server: FakeApiServer;
const streams: WatchStream[] = [];
afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close();
  await server?.close();
});

const configMaps = '/api/v1/namespaces/default/configmaps';

async function watch(query = ''): Promise<WatchStream> {
  const stream = await WatchStream.open(
    `${server.url}${configMaps}?watch=1&resourceVersion=${server.resourceVersion}${query}`,
  );
  streams.push(stream);
  return stream;
}

describe('fault injection', () => {
  it('fails the next matching requests with the given status, reason and Retry-After', async () => {
    server = await FakeApiServer.start();
    server.faults.failNextRequests({
      count: 2,
      status: 429,
      retryAfterSeconds: 3,
      verb: 'list',
      path: '/configmaps',
    });
    expect((await call(`${server.url}/api/v1/namespaces/default/pods`)).status).toBe(200);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const refused = await call(`${server.url}${configMaps}`);
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('3');
      expect(refused.json).toMatchObject({
        kind: 'Status',
        reason: 'TooManyRequests',
        details: { retryAfterSeconds: 3 },
      });
    }
    expect((await call(`${server.url}${configMaps}`)).status).toBe(200);
  });

  it('delays matching requests', async () => {
    const clock = new ManualClock();
    server = await FakeApiServer.start({ clock });
    server.faults.delayResponses({ delayMs: 150, count: 1, verb: 'get' });
    let answered = false;
    const delayed = call(`${server.url}/api/v1/namespaces/default`).then((response) => {
      answered = true;
      return response;
    });
    await vi.waitFor(() => expect(clock.pendingTimers).toBe(1), { timeout: 2_000 });
    expect((await call(`${server.url}/api/v1/namespaces`)).status).toBe(200); // lists are not delayed
    clock.advance(149);
    expect(answered).toBe(false);
    clock.advance(1);
    expect((await delayed).status).toBe(200);
    expect((await call(`${server.url}/api/v1/namespaces/default`)).status).toBe(200); // count was 1
  });

  it('closes watches cleanly or abruptly', async () => {
    server = await FakeApiServer.start();
    const clean = await watch();
    const abrupt = await watch('&labelSelector=x');
    expect(server.faults.closeWatches()).toBe(2);
    await within(clean.ended, 2_000, 'clean end');
    const again = await watch();
    const aborted = new Promise<void>((resolve) => again.response.once('aborted', () => resolve()));
    server.faults.closeWatches({ abrupt: true });
    await within(aborted, 2_000, 'abrupt end');
    expect(abrupt.status).toBe(200);
  });

  it('stalls watches without closing them, and resumes', async () => {
    server = await FakeApiServer.start();
    const stream = await watch();
    server.faults.stallWatches();
    server.store.create('configmaps', { metadata: { name: 'held' } });
    await vi.waitFor(() => expect(server.watches.backlog).toBe(1), { timeout: 1_000 });
    expect(stream.pending).toBe(0);
    server.faults.resumeWatches();
    expect((await stream.next()).object.metadata.name).toBe('held');
  });

  it('ends a watch whose reader falls too far behind, as the real server ends slow watchers', async () => {
    server = await FakeApiServer.start({ watchBacklogLimit: 5 });
    const stream = await watch();
    server.faults.stallWatches();
    for (let index = 0; index < 6; index += 1)
      server.store.create('configmaps', { metadata: { name: `c${index}` } });
    await within(stream.ended, 2_000, 'end of the lagging watch');
    expect(stream.pending).toBe(0);
    expect(server.watches.size).toBe(0);
  });

  it('corrupts the next watch line', async () => {
    server = await FakeApiServer.start();
    const stream = await watch();
    server.faults.corruptNextWatchLines();
    server.store.create('configmaps', { metadata: { name: 'a' } });
    server.store.create('configmaps', { metadata: { name: 'b' } });
    const corrupted = await stream.nextLine();
    expect(() => JSON.parse(corrupted)).toThrow();
    expect((await stream.next()).object.metadata.name).toBe('b');
  });

  it('restarts: drops every connection, keeps objects and resourceVersion continuity', async () => {
    server = await FakeApiServer.start();
    server.store.create('configmaps', { metadata: { name: 'kept' } });
    const before = Number(server.resourceVersion);
    const stream = await watch();
    const port = server.port;
    await server.faults.restart({ downtimeMs: 50 });
    await within(stream.ended, 2_000, 'watch dropped by the restart');
    expect(server.port).toBe(port);
    expect((await call(`${server.url}${configMaps}/kept`)).status).toBe(200);
    const next = server.store.create('configmaps', { metadata: { name: 'after' } });
    expect(Number(next.metadata?.resourceVersion)).toBe(before + 1);
    const resumed = await WatchStream.open(`${server.url}${configMaps}?watch=1&resourceVersion=${before}`);
    streams.push(resumed);
    expect((await resumed.next()).object.metadata.name).toBe('after');
  });

  it('offers the same faults, seeding and churn over the control path when enabled', async () => {
    server = await FakeApiServer.start();
    expect((await call(`${server.url}/_fake/state`)).status).toBe(404);
    await server.close();
    server = await FakeApiServer.start({ control: true });
    const post = (path: string, body: unknown = {}) =>
      call(`${server.url}/_fake/${path}`, { method: 'POST', body });
    expect((await post('pods/generate', { count: 20, namespace: 'bench' })).json).toMatchObject({
      created: 20,
    });
    const stream = await WatchStream.open(
      `${server.url}/api/v1/namespaces/bench/pods?watch=1&resourceVersion=${server.resourceVersion}`,
    );
    streams.push(stream);
    const churned = await post('churn', { count: 50, namespace: 'bench' });
    expect(churned.json).toMatchObject({ modified: 50, resourceVersion: server.resourceVersion });
    expect((await stream.take(50)).every((event) => event.type === 'MODIFIED')).toBe(true);
    expect((await post('faults/fail-requests', { status: 503, verb: 'list' })).status).toBe(200);
    expect((await call(`${server.url}/api/v1/pods`)).status).toBe(503);
    expect((await post('faults/close-watches')).json).toEqual({ closed: 1 });
    expect((await post('seed', { nodes: 2 })).json.nodes).toHaveLength(2);
    const state = (await call(`${server.url}/_fake/state`)).json;
    expect(state).toMatchObject({
      resourceVersion: server.resourceVersion,
      objects: { pods: expect.any(Number), nodes: 2 },
    });
    expect((await post('faults/unknown')).status).toBe(404);
  });
});
