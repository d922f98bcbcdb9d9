import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { systemClock } from '@kubeinformers/core';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeApiServer } from '../fake-api-server.js';
import { generatePods } from '../fixtures/seed-cluster.js';
import { ResourceCatalog } from '../resources/resource-catalog.js';
import { ObjectFilter } from '../storage/object-filter.js';
import { ObjectStore } from '../storage/object-store.js';
import { call } from '../test-support/http-client.js';
import { serveList } from './list-handler.js';

let server: FakeApiServer;
afterEach(async () => {
  await server?.close();
});

const pod = (name: string, labels: Record<string, string>, nodeName: string, phase = 'Running') => ({
  metadata: { name, labels },
  spec: { nodeName, containers: [{ name: 'main', image: 'nginx' }] },
  status: { phase },
});

async function withPods(): Promise<string> {
  server = await FakeApiServer.start({ tooLargeResourceVersionWaitMs: 20 });
  server.store.create('pods', pod('a', { app: 'web', tier: 'front' }, 'node-1'));
  server.store.create('pods', pod('b', { app: 'web', tier: 'back' }, 'node-2'));
  server.store.create('pods', pod('c', { app: 'db' }, 'node-1', 'Pending'));
  server.store.create('pods', pod('d', { app: 'db', canary: 'true' }, 'node-2'));
  server.store.create('pods', pod('e', { app: 'cache' }, 'node-3'));
  return `${server.url}/api/v1/namespaces/default/pods`;
}

const names = (body: { items: { metadata: { name: string } }[] }) =>
  body.items.map((item) => item.metadata.name);

describe('list', () => {
  it('answers a PodList whose items carry no kind or apiVersion', async () => {
    const url = await withPods();
    const { json, headers } = await call(url);
    expect(headers['content-type']).toBe('application/json');
    expect(json).toMatchObject({
      kind: 'PodList',
      apiVersion: 'v1',
      metadata: { resourceVersion: server.resourceVersion },
    });
    expect(names(json)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(json.items[0].kind).toBeUndefined();
    expect(json.items[0].apiVersion).toBeUndefined();
  });

  it('paginates one consistent snapshot with continue tokens and remainingItemCount', async () => {
    const url = await withPods();
    const first = (await call(`${url}?limit=2`)).json;
    expect(names(first)).toEqual(['a', 'b']);
    expect(first.metadata.remainingItemCount).toBe(3);
    server.store.delete('pods', 'default/d');
    server.store.patch('pods', 'default/c', { metadata: { labels: { changed: 'yes' } } });
    server.store.create('pods', pod('f', { app: 'late' }, 'node-1'));
    const second = (await call(`${url}?limit=2&continue=${first.metadata.continue}`)).json;
    expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    expect(names(second)).toEqual(['c', 'd']);
    expect(second.items[0].metadata.labels.changed).toBeUndefined();
    const last = (await call(`${url}?limit=2&continue=${second.metadata.continue}`)).json;
    expect(names(last)).toEqual(['e']);
    expect(last.metadata.continue).toBeUndefined();
    expect(last.metadata.remainingItemCount).toBeUndefined();
  });

  it('omits remainingItemCount when selectors are used, and fills pages with matches', async () => {
    const url = await withPods();
    const page = (await call(`${url}?limit=1&labelSelector=app%3Ddb`)).json;
    expect(names(page)).toEqual(['c']);
    expect(page.metadata.continue).toBeDefined();
    expect(page.metadata.remainingItemCount).toBeUndefined();
    const rest = (await call(`${url}?limit=1&labelSelector=app%3Ddb&continue=${page.metadata.continue}`))
      .json;
    expect(names(rest)).toEqual(['d']);
    expect(rest.metadata.continue).toBeUndefined();
  });

  it('expires continue tokens after compaction with 410 and a fresh, inconsistent token', async () => {
    const url = await withPods();
    const first = (await call(`${url}?limit=2`)).json;
    server.store.create('pods', pod('bb', { app: 'late' }, 'node-1'));
    server.faults.compact();
    const expired = await call(`${url}?limit=2&continue=${first.metadata.continue}`);
    expect(expired.status).toBe(410);
    expect(expired.json).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 });
    expect(expired.json.metadata.continue).toEqual(expect.any(String));
    const resumed = (await call(`${url}?limit=10&continue=${expired.json.metadata.continue}`)).json;
    expect(names(resumed)).toEqual(['bb', 'c', 'd', 'e']);
    expect(resumed.metadata.resourceVersion).toBe(server.resourceVersion);
  });

  it('honours resourceVersion and resourceVersionMatch like the API server', async () => {
    const url = await withPods();
    const before = server.resourceVersion;
    server.store.patch('pods', 'default/a', { metadata: { labels: { version: '2' } } });
    server.store.create('pods', pod('z', { app: 'late' }, 'node-1'));
    const latest = server.resourceVersion;

    for (const query of [
      '',
      '?resourceVersion=0',
      `?resourceVersion=${before}`,
      `?resourceVersion=${before}&resourceVersionMatch=NotOlderThan`,
    ]) {
      const body = (await call(`${url}${query}`)).json;
      expect(body.metadata.resourceVersion).toBe(latest);
      expect(names(body)).toContain('z');
    }
    const exact = (await call(`${url}?resourceVersion=${before}&resourceVersionMatch=Exact`)).json;
    expect(exact.metadata.resourceVersion).toBe(before);
    expect(names(exact)).not.toContain('z');
    expect(exact.items[0].metadata.labels.version).toBeUndefined();

    const ahead = await call(`${url}?resourceVersion=${Number(latest) + 100}`);
    expect(ahead.status).toBe(504);
    expect(ahead.json.details.causes[0].reason).toBe('ResourceVersionTooLarge');
    expect(ahead.json.message).toBe(
      `Too large resource version: ${Number(latest) + 100}, current: ${latest}`,
    );
    expect(ahead.headers['retry-after']).toBe('1');

    expect((await call(`${url}?resourceVersionMatch=Exact`)).status).toBe(422);
    expect((await call(`${url}?resourceVersion=0&resourceVersionMatch=Exact`)).status).toBe(422);
    expect((await call(`${url}?resourceVersion=1&continue=abc`)).status).toBe(400);
    server.faults.compact();
    const tooOld = await call(`${url}?resourceVersion=${before}&resourceVersionMatch=Exact`);
    expect(tooOld.status).toBe(410);
    expect(tooOld.json.reason).toBe('Expired');
  });

  it('filters with the full label selector syntax and per-kind field selectors', async () => {
    const url = await withPods();
    const select = async (query: string) => names((await call(`${url}?${query}`)).json);
    expect(await select('labelSelector=app+in+(web,cache)')).toEqual(['a', 'b', 'e']);
    expect(await select('labelSelector=app!=web,!canary')).toEqual(['c', 'e']);
    expect(await select('labelSelector=tier')).toEqual(['a', 'b']);
    expect(await select('labelSelector=app+notin+(web),canary')).toEqual(['d']);
    expect(await select('fieldSelector=spec.nodeName%3Dnode-1')).toEqual(['a', 'c']);
    expect(await select('fieldSelector=status.phase!%3DRunning')).toEqual(['c']);
    expect(await select('fieldSelector=metadata.name%3Db,metadata.namespace%3Ddefault')).toEqual(['b']);
    const unsupported = await call(`${url}?fieldSelector=spec.color%3Dred`);
    expect(unsupported.status).toBe(400);
    expect(unsupported.json.message).toContain('field label not supported: spec.color');
    expect((await call(`${url}?labelSelector=app%3D%3D%3D`)).status).toBe(400);
  });

  it('lists across namespaces and serves metadata-only lists', async () => {
    const url = await withPods();
    server.store.create('namespaces', { metadata: { name: 'other' } });
    server.store.create('pods', { ...pod('x', {}, 'node-1'), metadata: { name: 'x', namespace: 'other' } });
    const all = (await call(`${server.url}/api/v1/pods`)).json;
    expect(
      all.items.map(
        (item: { metadata: { namespace: string; name: string } }) =>
          `${item.metadata.namespace}/${item.metadata.name}`,
      ),
    ).toEqual(['default/a', 'default/b', 'default/c', 'default/d', 'default/e', 'other/x']);
    const partial = await call(url, {
      headers: { accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1' },
    });
    expect(partial.json).toMatchObject({ kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1' });
    expect(partial.json.items[0]).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: expect.objectContaining({ name: 'a' }),
    });
  });
});

describe('list streaming', () => {
  /** A response that accepts one chunk, then reports backpressure until `drain` is emitted. */
  class SlowResponse extends EventEmitter {
    readonly chunks: string[] = [];
    destroyed = false;
    waitingForDrain = false;
    writeHead() {
      return this;
    }
    write(chunk: string): boolean {
      if (this.waitingForDrain) throw new Error('wrote while the client was not reading');
      this.chunks.push(chunk);
      this.waitingForDrain = true;
      return false;
    }
    end(chunk: string) {
      this.chunks.push(chunk);
      this.emit('finish');
    }
    drain() {
      this.waitingForDrain = false;
      this.emit('drain');
    }
  }

  it('writes bounded chunks and waits for drain between them', async () => {
    const catalog = new ResourceCatalog();
    const objectStore = new ObjectStore(catalog, 100, () => new Date());
    const { ClusterStore } = await import('../storage/cluster-store.js');
    const cluster = new ClusterStore(objectStore);
    cluster.create('namespaces', { metadata: { name: 'default' } });
    generatePods(cluster, { count: 300 });
    const pods = catalog.resolve('pods');
    const response = new SlowResponse();
    const finished = serveList(
      {
        resource: pods,
        filter: ObjectFilter.parse(pods, undefined, undefined, undefined),
        query: new URLSearchParams(),
        projection: { type: 'full' },
      },
      { objectStore, tooLargeWaitMs: 0, clock: systemClock },
      response as unknown as ServerResponse,
    );
    let drains = 0;
    while (response.chunks.at(-1)?.endsWith(']}') !== true) {
      await new Promise((resolve) => setImmediate(resolve));
      if (response.waitingForDrain) {
        drains += 1;
        response.drain();
      }
      if (drains > 1000) throw new Error('list did not finish');
    }
    await finished;
    const body = response.chunks.join('');
    expect(JSON.parse(body).items).toHaveLength(300);
    // ~1.5 MB in chunks of at most 64 KiB plus one pod: never the whole body at once.
    expect(response.chunks.length).toBeGreaterThan(15);
    expect(Math.max(...response.chunks.map((chunk) => chunk.length))).toBeLessThan(64 * 1024 + 8 * 1024);
    expect(drains).toBe(response.chunks.length - 1);
  });
});
