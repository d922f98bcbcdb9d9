import { afterEach, describe, expect, it } from 'vitest';
import { FakeApiServer } from '../fake-api-server.js';
import { protobufContentType } from '../http/protobuf/protobuf-body.js';
import { call } from '../test-support/http-client.js';
import { protobufFrame } from '../test-support/protobuf-frame.js';

let server: FakeApiServer;
afterEach(async () => {
  await server?.close();
});

const accessReview = (token: string, resourceAttributes: object) =>
  call(`${server.url}/apis/authorization.k8s.io/v1/selfsubjectaccessreviews`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes },
    },
  });

describe('per-token allow-lists and access reviews', () => {
  it('answers 403 outside a token allow-list, and access reviews agree with what requests get', async () => {
    server = await FakeApiServer.start({
      tokens: [
        'admin',
        {
          token: 'team-reader',
          user: 'alice',
          rules: [
            {
              verbs: ['get', 'list', 'watch'],
              resources: ['pods', 'pods/log'],
              apiGroups: [''],
              namespaces: ['team'],
            },
            { verbs: ['get'], nonResourceURLs: ['/healthz'] },
          ],
        },
      ],
    });
    server.store.create('namespaces', { metadata: { name: 'team' } });
    const as = (token: string) => ({ authorization: `Bearer ${token}` });
    expect(
      (await call(`${server.url}/api/v1/namespaces/team/pods`, { headers: as('team-reader') })).status,
    ).toBe(200);
    const otherNamespace = await call(`${server.url}/api/v1/namespaces/default/pods`, {
      headers: as('team-reader'),
    });
    expect(otherNamespace.status).toBe(403);
    expect(otherNamespace.json.message).toBe(
      'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    const write = await call(`${server.url}/api/v1/namespaces/team/configmaps`, {
      method: 'POST',
      headers: as('team-reader'),
      body: { metadata: { name: 'x' } },
    });
    expect(write.status).toBe(403);

    const allowed = await accessReview('team-reader', { namespace: 'team', verb: 'list', resource: 'pods' });
    expect(allowed.status).toBe(201);
    expect(allowed.json).toMatchObject({ kind: 'SelfSubjectAccessReview', status: { allowed: true } });
    const logs = await accessReview('team-reader', {
      namespace: 'team',
      verb: 'get',
      resource: 'pods',
      subresource: 'log',
    });
    expect(logs.json.status.allowed).toBe(true);
    const denied = await accessReview('team-reader', {
      namespace: 'default',
      verb: 'list',
      resource: 'pods',
    });
    expect(denied.json.status.allowed).toBe(false);
    expect(
      (await accessReview('admin', { namespace: 'default', verb: 'delete', resource: 'nodes' })).json.status
        .allowed,
    ).toBe(true);

    // kubectl ≥ 1.32 sends the review as protobuf.
    const protobuf = await call(`${server.url}/apis/authorization.k8s.io/v1/selfsubjectaccessreviews`, {
      method: 'POST',
      headers: { ...as('team-reader'), 'content-type': protobufContentType },
      body: protobufFrame(
        'authorization.k8s.io/v1',
        'SelfSubjectAccessReview',
        'k8s.io.api.authorization.v1.SelfSubjectAccessReview',
        {
          spec: { resourceAttributes: { namespace: 'team', verb: 'create', resource: 'pods' } },
        },
      ),
    });
    expect(protobuf.json.status.allowed).toBe(false);

    const rules = await call(`${server.url}/apis/authorization.k8s.io/v1/selfsubjectrulesreviews`, {
      method: 'POST',
      headers: as('team-reader'),
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectRulesReview',
        spec: { namespace: 'team' },
      },
    });
    expect(rules.json.status).toEqual({
      resourceRules: [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods', 'pods/log'] }],
      nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }],
      incomplete: false,
    });
    const elsewhere = await call(`${server.url}/apis/authorization.k8s.io/v1/selfsubjectrulesreviews`, {
      method: 'POST',
      headers: as('team-reader'),
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectRulesReview',
        spec: { namespace: 'default' },
      },
    });
    expect(elsewhere.json.status.resourceRules).toEqual([]);
  });

  it('a read-only token may read everything and write nothing; reviews are never stored', async () => {
    server = await FakeApiServer.start({ tokens: [{ token: 'viewer', readOnly: true }] });
    expect(
      (await accessReview('viewer', { verb: 'watch', resource: 'deployments', group: 'apps' })).json.status
        .allowed,
    ).toBe(true);
    expect(
      (await accessReview('viewer', { verb: 'patch', resource: 'deployments', group: 'apps' })).json.status
        .allowed,
    ).toBe(false);
    const list = await call(`${server.url}/apis/authorization.k8s.io/v1/selfsubjectaccessreviews`, {
      headers: { authorization: 'Bearer viewer' },
    });
    expect(list.status).toBe(405);
  });
});
