import { afterEach, describe, expect, it } from 'vitest';
import { FakeApiServer } from '../fake-api-server.js';
import { podFixture } from '../fixtures/pod-fixture.js';
import { call } from '../test-support/http-client.js';
import { ApiStatusError } from './api-status-error.js';

let server: FakeApiServer;
afterEach(async () => {
  await server?.close();
});

const pod = (name: string, namespace = 'default') => ({
  metadata: { name, namespace, labels: { app: 'web' } },
  spec: { containers: [{ name: 'main', image: 'nginx' }] },
});

function statusOf(action: () => unknown): { code: number; reason: string } {
  try {
    action();
  } catch (error) {
    if (error instanceof ApiStatusError) return { code: error.statusCode, reason: error.reason ?? '' };
    throw error;
  }
  throw new Error('expected an ApiStatusError');
}

describe('storage semantics', () => {
  it('starts with the standard namespaces and one cluster-wide resourceVersion counter', async () => {
    server = await FakeApiServer.start();
    const names = server.store.list('namespaces').map((namespace) => namespace.metadata?.name);
    expect(names).toEqual(expect.arrayContaining(['default', 'kube-system', 'kube-public']));
    const before = Number(server.resourceVersion);
    const created = server.store.create('pods', pod('a'));
    const configMap = server.store.create('configmaps', { metadata: { name: 'c' } });
    expect(Number(created.metadata?.resourceVersion)).toBe(before + 1);
    expect(Number(configMap.metadata?.resourceVersion)).toBe(before + 2);
  });

  it('sets uid, creationTimestamp, generation, kind and apiVersion on create', async () => {
    server = await FakeApiServer.start({ now: () => new Date('2025-02-03T04:05:06.789Z') });
    const created = server.store.create('deployments', {
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 1 },
    });
    expect(created.kind).toBe('Deployment');
    expect(created.apiVersion).toBe('apps/v1');
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.creationTimestamp).toBe('2025-02-03T04:05:06Z');
    expect(created.metadata.generation).toBe(1);
  });

  it('bumps generation on spec changes only, and skips writes that change nothing', async () => {
    server = await FakeApiServer.start();
    server.store.create('deployments', { metadata: { name: 'web' }, spec: { replicas: 1 } });
    const labelled = server.store.patch('deployments', 'default/web', { metadata: { labels: { a: 'b' } } });
    expect(labelled.metadata?.generation).toBe(1);
    const scaled = server.store.patch('deployments', 'default/web', { spec: { replicas: 3 } });
    expect((scaled.metadata as { generation: number }).generation).toBe(2);
    const again = server.store.patch('deployments', 'default/web', { spec: { replicas: 3 } });
    expect(again.metadata?.resourceVersion).toBe(scaled.metadata?.resourceVersion);
  });

  it('refuses duplicates (409 AlreadyExists), stale writes (409 Conflict) and missing namespaces (404)', async () => {
    server = await FakeApiServer.start();
    const created = server.store.create('pods', pod('a'));
    expect(statusOf(() => server.store.create('pods', pod('a')))).toEqual({
      code: 409,
      reason: 'AlreadyExists',
    });
    server.store.patch('pods', 'default/a', { metadata: { labels: { x: 'y' } } });
    expect(statusOf(() => server.store.update('pods', created))).toEqual({ code: 409, reason: 'Conflict' });
    expect(statusOf(() => server.store.create('pods', pod('b', 'nowhere')))).toEqual({
      code: 404,
      reason: 'NotFound',
    });
  });

  it('names objects from generateName', async () => {
    server = await FakeApiServer.start();
    const created = server.store.create('pods', { spec: pod('').spec, metadata: { generateName: 'web-' } });
    expect(created.metadata?.name).toMatch(/^web-[a-z0-9]{5}$/);
  });

  it('keeps objects with finalizers until the finalizers are cleared', async () => {
    server = await FakeApiServer.start();
    server.store.create('configmaps', { metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    const marked = server.store.delete('configmaps', 'default/held');
    expect((marked.metadata as { deletionTimestamp?: string }).deletionTimestamp).toBeDefined();
    expect(server.store.get('configmaps', 'default/held')).toBeDefined();
    expect(
      statusOf(() =>
        server.store.patch('configmaps', 'default/held', {
          metadata: { finalizers: ['example.com/hold', 'other/x'] },
        }),
      ),
    ).toEqual({ code: 422, reason: 'Invalid' });
    server.store.patch('configmaps', 'default/held', { metadata: { finalizers: null } });
    expect(server.store.get('configmaps', 'default/held')).toBeUndefined();
  });

  it('deleting a namespace deletes what is in it', async () => {
    server = await FakeApiServer.start();
    server.store.create('namespaces', { metadata: { name: 'team' } });
    server.store.create('pods', pod('a', 'team'));
    server.store.delete('namespaces', 'team');
    expect(server.store.count('pods', { namespace: 'team' })).toBe(0);
  });

  it('deletes dependents after their owner (background), or orphans them', async () => {
    server = await FakeApiServer.start();
    const { seedCluster } = await import('../fixtures/seed-cluster.js');
    seedCluster(server.store, { hostNetworkPods: false });
    server.store.delete('deployments', 'shop/web');
    expect(server.store.count('replicasets', { namespace: 'shop', labelSelector: 'app=web' })).toBe(0);
    expect(server.store.count('pods', { namespace: 'shop', labelSelector: 'app=web' })).toBe(0);
    expect(server.store.count('pods', { namespace: 'shop', labelSelector: 'app=api' })).toBe(2);
    const [replicaSet] = server.store.list('replicasets', { namespace: 'shop', labelSelector: 'app=api' });
    const deleted = await call(
      `${server.url}/apis/apps/v1/namespaces/shop/replicasets/${replicaSet!.metadata.name}`,
      {
        method: 'DELETE',
        body: { propagationPolicy: 'Orphan' },
      },
    );
    expect(deleted.status).toBe(200);
    const orphans = server.store.list('pods', { namespace: 'shop', labelSelector: 'app=api' });
    expect(orphans).toHaveLength(2);
    expect(orphans.every((pod) => pod.metadata.ownerReferences === undefined)).toBe(true);
  });

  it('refuses new content in a terminating namespace (403), and labels namespaces with their name', async () => {
    server = await FakeApiServer.start();
    const namespace = server.store.create('namespaces', {
      metadata: { name: 'closing', finalizers: ['example.com/hold'] },
    });
    expect(namespace.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'closing' });
    expect(namespace.status).toEqual({ phase: 'Active' });
    server.store.delete('namespaces', 'closing');
    expect(statusOf(() => server.store.create('pods', pod('late', 'closing')))).toEqual({
      code: 403,
      reason: 'Forbidden',
    });
    expect(statusOf(() => server.store.create('pods', pod('lost', 'nowhere')))).toEqual({
      code: 404,
      reason: 'NotFound',
    });
  });

  it('marks a dependent with finalizers for deletion instead of removing it with its owner', async () => {
    server = await FakeApiServer.start();
    const owner = server.store.create('configmaps', { metadata: { name: 'owner' } });
    const reference = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid };
    server.store.create('configmaps', {
      metadata: { name: 'held', ownerReferences: [reference], finalizers: ['example.com/hold'] },
    });
    server.store.create('configmaps', { metadata: { name: 'free', ownerReferences: [reference] } });
    server.store.delete('configmaps', 'default/owner');
    expect(server.store.get('configmaps', 'default/free')).toBeUndefined();
    const held = server.store.get('configmaps', 'default/held');
    expect(held?.metadata).toMatchObject({ deletionTimestamp: expect.any(String) });
  });

  it('gives services the next cluster IP from 10.96.0.0/12, and ExternalName services none', async () => {
    server = await FakeApiServer.start();
    const spec = { ports: [{ port: 80 }] };
    const first = server.store.create('services', { metadata: { name: 'one' }, spec });
    const second = server.store.create('services', { metadata: { name: 'two' }, spec });
    const external = server.store.create('services', {
      metadata: { name: 'outside' },
      spec: { type: 'ExternalName', externalName: 'example.com' },
    });
    const address = (service: typeof first) => (service.spec as { clusterIP: string }).clusterIP;
    const [, , third = '', fourth = ''] = address(first).split('.');
    expect(address(first)).toMatch(/^10\.96\.\d+\.\d+$/);
    expect(address(second)).toBe(`10.96.${third}.${Number(fourth) + 1}`);
    expect(external.spec).toEqual({ type: 'ExternalName', externalName: 'example.com' });
  });

  it('serves the scale subresource of workloads', async () => {
    server = await FakeApiServer.start();
    const { deploymentFixture } = await import('../fixtures/workload-fixtures.js');
    server.store.create('deployments', deploymentFixture({ name: 'web', replicas: 2 }));
    const url = `${server.url}/apis/apps/v1/namespaces/default/deployments/web/scale`;
    const scale = (await call(url)).json;
    expect(scale).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 2 },
      status: { replicas: 2, selector: 'app=web' },
    });
    const patched = await call(url, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { spec: { replicas: 4 } },
    });
    expect(patched.json.spec.replicas).toBe(4);
    expect(server.store.get('deployments', 'default/web')).toMatchObject({
      spec: { replicas: 4 },
      metadata: { generation: 2 },
    });
    const stale = await call(url, { method: 'PUT', body: { ...scale, spec: { replicas: 1 } } });
    expect(stale.status).toBe(409);
    const put = await call(url, { method: 'PUT', body: { ...patched.json, spec: { replicas: 1 } } });
    expect(put.json.spec.replicas).toBe(1);
    expect((await call(url, { method: 'PUT', body: { spec: { replicas: -1 } } })).status).toBe(400);
    expect((await call(`${server.url}/api/v1/namespaces/default/configmaps/x/scale`)).status).toBe(404);
  });

  it('separates status from the main resource over HTTP', async () => {
    server = await FakeApiServer.start();
    const base = `${server.url}/api/v1/namespaces/default/pods`;
    const created = await call(base, { method: 'POST', body: { ...pod('a'), status: { phase: 'Running' } } });
    expect(created.status).toBe(201);
    expect(created.json.status.phase).toBe('Pending');
    const updated = await call(`${base}/a/status`, {
      method: 'PUT',
      body: {
        ...created.json,
        metadata: { ...created.json.metadata, labels: { ignored: 'yes' } },
        status: { phase: 'Running' },
      },
    });
    expect(updated.json.status.phase).toBe('Running');
    expect(updated.json.metadata.labels).toEqual({ app: 'web' });
    const main = await call(`${base}/a`, {
      method: 'PUT',
      body: {
        ...updated.json,
        status: { phase: 'Failed' },
        metadata: { ...updated.json.metadata, labels: { v: '2' } },
      },
    });
    expect(main.json.status.phase).toBe('Running');
    expect(main.json.metadata.labels).toEqual({ v: '2' });
  });

  it('answers invalid bodies with 400 or a 422 Status naming the field', async () => {
    server = await FakeApiServer.start();
    const base = `${server.url}/api/v1/namespaces/default/pods`;
    const malformed = await call(base, { method: 'POST', body: '{not json' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.kind).toBe('Status');
    const noName = await call(base, { method: 'POST', body: { spec: pod('x').spec } });
    expect(noName.status).toBe(422);
    expect(noName.json.details.causes).toContainEqual(expect.objectContaining({ field: 'metadata.name' }));
    const noImage = await call(base, {
      method: 'POST',
      body: { metadata: { name: 'x' }, spec: { containers: [{ name: 'c' }] } },
    });
    expect(noImage.json.details.causes).toEqual([
      expect.objectContaining({ field: 'spec.containers[0].image' }),
    ]);
    const badLabel = await call(base, {
      method: 'POST',
      body: { ...pod('x'), metadata: { name: 'x', labels: { 'bad key!': 'v' } } },
    });
    expect(badLabel.json.details.causes[0].field).toBe('metadata.labels');
    const wrongKind = await call(base, { method: 'POST', body: { ...pod('x'), kind: 'Service' } });
    expect(wrongKind.status).toBe(400);
  });

  it('handles the three patch types and DELETE with preconditions over HTTP', async () => {
    server = await FakeApiServer.start();
    server.store.create('pods', podFixture({ name: 'web-0' }));
    const url = `${server.url}/api/v1/namespaces/default/pods/web-0`;
    const strategic = await call(url, {
      method: 'PATCH',
      headers: { 'content-type': 'application/strategic-merge-patch+json' },
      body: { spec: { containers: [{ name: 'web-0', image: 'web:2' }] } },
    });
    expect(strategic.json.spec.containers).toHaveLength(1);
    expect(strategic.json.spec.containers[0]).toMatchObject({
      image: 'web:2',
      imagePullPolicy: 'IfNotPresent',
    });
    const json = await call(url, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json-patch+json' },
      body: [{ op: 'replace', path: '/metadata/labels/app', value: 'api' }],
    });
    expect(json.json.metadata.labels.app).toBe('api');
    const unsupported = await call(url, {
      method: 'PATCH',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(unsupported.status).toBe(415);
    const apply = { 'content-type': 'application/apply-patch+yaml' };
    expect((await call(url, { method: 'PATCH', headers: apply, body: {} })).status).toBe(422);
    const applied = await call(`${url}?fieldManager=test`, {
      method: 'PATCH',
      headers: apply,
      body: { metadata: { labels: { applied: 'yes' } } },
    });
    expect(applied.json.metadata.labels).toMatchObject({ app: 'api', applied: 'yes' });
    const createdByApply = await call(
      `${server.url}/api/v1/namespaces/default/configmaps/applied?fieldManager=test`,
      {
        method: 'PATCH',
        headers: apply,
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data: { k: 'v' } },
      },
    );
    expect(createdByApply.status).toBe(201);
    const stale = await call(url, { method: 'DELETE', body: { preconditions: { resourceVersion: '1' } } });
    expect(stale.status).toBe(409);
    const deleted = await call(url, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(deleted.json.metadata.name).toBe('web-0');
    expect((await call(url)).status).toBe(404);
  });
});
