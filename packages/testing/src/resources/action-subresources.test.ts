import { afterEach, describe, expect, it } from 'vitest';
import { FakeApiServer } from '../fake-api-server.js';
import { protobufContentType } from '../http/protobuf/protobuf-body.js';
import { call, WatchStream } from '../test-support/http-client.js';
import { protobufFrame } from '../test-support/protobuf-frame.js';

let server: FakeApiServer;
afterEach(async () => {
  await server?.close();
});

const pod = (name: string, labels: Record<string, string> = {}, containers = ['main']) => ({
  metadata: { name, namespace: 'default', labels },
  spec: {
    nodeName: 'node-1',
    containers: containers.map((container) => ({ name: container, image: 'busybox' })),
  },
  status: { phase: 'Running' },
});

describe('pods/eviction', () => {
  it('deletes the pod, from a JSON or a protobuf Eviction, and is listed in discovery as policy/v1 Eviction', async () => {
    server = await FakeApiServer.start();
    server.store.create('pods', pod('a'));
    server.store.create('pods', pod('b'));
    const json = await call(`${server.url}/api/v1/namespaces/default/pods/a/eviction`, {
      method: 'POST',
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'a', namespace: 'default' } },
    });
    expect(json.status).toBe(201);
    expect(json.json).toMatchObject({ kind: 'Status', status: 'Success', code: 201 });
    expect(server.store.get('pods', 'default/a')).toBeUndefined();
    const protobuf = await call(`${server.url}/api/v1/namespaces/default/pods/b/eviction`, {
      method: 'POST',
      headers: { 'content-type': protobufContentType, accept: `${protobufContentType}, application/json` },
      body: protobufFrame('policy/v1', 'Eviction', 'k8s.io.api.policy.v1.Eviction', {
        metadata: { name: 'b', namespace: 'default' },
        deleteOptions: { gracePeriodSeconds: 0 },
      }),
    });
    expect(protobuf.status).toBe(201);
    expect(protobuf.headers['content-type']).toBe('application/json');
    expect(server.store.get('pods', 'default/b')).toBeUndefined();
    const missing = await call(`${server.url}/api/v1/namespaces/default/pods/b/eviction`, {
      method: 'POST',
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'b' } },
    });
    expect(missing.status).toBe(404);
    const discovery = await call(`${server.url}/api/v1`);
    expect(discovery.json.resources).toContainEqual(
      expect.objectContaining({
        name: 'pods/eviction',
        group: 'policy',
        version: 'v1',
        kind: 'Eviction',
        verbs: ['create'],
      }),
    );
  });

  it('answers 429 while a PodDisruptionBudget needs the pod, and evicts once the budget allows it', async () => {
    server = await FakeApiServer.start();
    server.store.create('pods', pod('web-1', { app: 'web' }));
    server.store.create('pods', pod('web-2', { app: 'web' }));
    server.store.create('poddisruptionbudgets', {
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'web' } }, minAvailable: '100%' },
    });
    const evict = () =>
      call(`${server.url}/api/v1/namespaces/default/pods/web-1/eviction`, {
        method: 'POST',
        body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web-1' } },
      });
    const refused = await evict();
    expect(refused.status).toBe(429);
    expect(refused.json.details.causes[0]).toMatchObject({ reason: 'DisruptionBudget' });
    server.store.patch('poddisruptionbudgets', 'default/web', {
      spec: { minAvailable: null, maxUnavailable: 1 },
    });
    expect((await evict()).status).toBe(201);
  });
});

describe('serviceaccounts/token', () => {
  it('issues a token that authenticates as the ServiceAccount until expirationSeconds have passed', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    server = await FakeApiServer.start({ tokens: ['admin'], now: () => now });
    server.store.create('namespaces', { metadata: { name: 'team' } });
    server.store.create('serviceaccounts', { metadata: { name: 'robot', namespace: 'team' } });
    const admin = { authorization: 'Bearer admin' };
    const issued = await call(`${server.url}/api/v1/namespaces/team/serviceaccounts/robot/token`, {
      method: 'POST',
      headers: { ...admin, 'content-type': protobufContentType },
      body: protobufFrame(
        'authentication.k8s.io/v1',
        'TokenRequest',
        'k8s.io.api.authentication.v1.TokenRequest',
        {
          metadata: { name: 'robot' },
          spec: { audiences: ['api.example.com'], expirationSeconds: 600 },
        },
      ),
    });
    expect(issued.status).toBe(201);
    expect(issued.json.spec).toMatchObject({ audiences: ['api.example.com'], expirationSeconds: 600 });
    expect(issued.json.status.expirationTimestamp).toBe('2026-01-01T00:10:00Z');
    const token = issued.json.status.token as string;
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
    expect(claims).toMatchObject({ sub: 'system:serviceaccount:team:robot', aud: ['api.example.com'] });
    const whoami = await call(`${server.url}/apis/authentication.k8s.io/v1/selfsubjectreviews`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    expect(whoami.json.status.userInfo).toEqual({
      username: 'system:serviceaccount:team:robot',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated'],
    });
    now = new Date('2026-01-01T00:10:00Z');
    const expired = await call(`${server.url}/api/v1/pods`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(expired.status).toBe(401);
  });

  it('refuses durations under ten minutes (422) and unknown ServiceAccounts (404); issuing keeps anonymous access', async () => {
    server = await FakeApiServer.start();
    server.store.create('serviceaccounts', { metadata: { name: 'robot' } });
    const request = (name: string, expirationSeconds: number) =>
      call(`${server.url}/api/v1/namespaces/default/serviceaccounts/${name}/token`, {
        method: 'POST',
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds } },
      });
    const short = await request('robot', 599);
    expect(short.status).toBe(422);
    expect(short.json.details.causes[0].field).toBe('spec.expirationSeconds');
    expect((await request('nobody', 3600)).status).toBe(404);
    expect((await request('robot', 3600)).status).toBe(201);
    expect((await call(`${server.url}/api/v1/pods`)).status).toBe(200);
  });
});

describe('pods/log', () => {
  it('serves the lines set per pod and container, honouring tailLines and refusing an ambiguous container', async () => {
    server = await FakeApiServer.start();
    server.store.create('pods', pod('single'));
    server.store.create('pods', pod('double', {}, ['app', 'sidecar']));
    const log = (path: string) => call(`${server.url}/api/v1/namespaces/default/pods/${path}`);
    const empty = await log('single/log');
    expect(empty.status).toBe(200);
    expect(empty.text).toBe('');
    server.logs.set({ pod: 'single' }, ['one', 'two', 'three']);
    server.logs.set({ pod: 'double', container: 'sidecar' }, ['proxy up']);
    expect((await log('single/log')).text).toBe('one\ntwo\nthree\n');
    expect((await log('single/log?tailLines=2')).text).toBe('two\nthree\n');
    expect((await log('single/log?container=main&tailLines=0')).text).toBe('');
    const ambiguous = await log('double/log');
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.json.message).toBe(
      'a container name must be specified for pod double, choose one of: [app sidecar]',
    );
    expect((await log('double/log?container=sidecar')).text).toBe('proxy up\n');
    expect((await log('double/log?container=app')).text).toBe('');
    expect((await log('double/log?container=nope')).status).toBe(400);
    expect((await log('missing/log')).status).toBe(404);
  });

  it('follows: lines appended later arrive on the open stream, which ends when the pod is deleted', async () => {
    server = await FakeApiServer.start({ control: true });
    server.store.create('pods', pod('tail'));
    server.logs.set({ pod: 'tail' }, ['before']);
    const stream = await WatchStream.open(
      `${server.url}/api/v1/namespaces/default/pods/tail/log?follow=True`,
    );
    expect(stream.status).toBe(200);
    expect(await stream.nextLine()).toBe('before');
    const appended = await call(`${server.url}/_fake/pods/logs`, {
      method: 'POST',
      body: { namespace: 'default', pod: 'tail', lines: ['after'], append: true },
    });
    expect(appended.status).toBe(200);
    expect(await stream.nextLine()).toBe('after');
    server.store.delete('pods', 'default/tail');
    await stream.ended;
    expect(stream.pending).toBe(0);
  });
});
