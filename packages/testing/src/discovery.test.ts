import { afterEach, describe, expect, it } from 'vitest';
import { FakeApiServer } from './fake-api-server.js';
import { call } from './test-support/http-client.js';

let server: FakeApiServer;
afterEach(async () => {
  await server?.close();
});

describe('discovery', () => {
  it('serves /version, /api and /apis', async () => {
    server = await FakeApiServer.start();
    expect((await call(`${server.url}/version`)).json).toMatchObject({ major: '1', minor: '32' });
    expect((await call(`${server.url}/api`)).json).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = (await call(`${server.url}/apis`)).json;
    expect(groups.kind).toBe('APIGroupList');
    expect(groups.groups).toContainEqual({
      name: 'apps',
      versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
      preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
    });
    expect((await call(`${server.url}/apis/batch`)).json).toMatchObject({ kind: 'APIGroup', name: 'batch' });
  });

  it('lists resources with scope, verbs, short names and status subresources', async () => {
    server = await FakeApiServer.start();
    const core = (await call(`${server.url}/api/v1`)).json;
    expect(core).toMatchObject({ kind: 'APIResourceList', groupVersion: 'v1' });
    const byName = new Map(core.resources.map((resource: { name: string }) => [resource.name, resource]));
    expect(byName.get('pods')).toMatchObject({
      kind: 'Pod',
      namespaced: true,
      shortNames: ['po'],
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    });
    expect(byName.get('nodes')).toMatchObject({ kind: 'Node', namespaced: false, shortNames: ['no'] });
    expect(byName.get('pods/status')).toMatchObject({ kind: 'Pod', verbs: ['get', 'patch', 'update'] });
    const apps = (await call(`${server.url}/apis/apps/v1`)).json;
    expect(apps.resources.map((resource: { name: string }) => resource.name)).toEqual(
      expect.arrayContaining(['deployments', 'replicasets', 'statefulsets', 'daemonsets']),
    );
    expect((await call(`${server.url}/apis/apps/v2`)).status).toBe(404);
  });

  it('answers a request for aggregated discovery with the legacy form and a plain JSON content type', async () => {
    server = await FakeApiServer.start();
    const response = await call(`${server.url}/apis`, {
      headers: {
        accept:
          'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json',
      },
    });
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.json.kind).toBe('APIGroupList');
  });

  it('serves registered custom resources in discovery and over the API', async () => {
    server = await FakeApiServer.start();
    server.registerResource({
      group: 'example.com',
      version: 'v1',
      resource: 'widgets',
      kind: 'Widget',
      namespaced: true,
      shortNames: ['wd'],
      selectableFields: ['spec.color'],
    });
    const groups = (await call(`${server.url}/apis`)).json;
    expect(groups.groups.map((group: { name: string }) => group.name)).toContain('example.com');
    expect((await call(`${server.url}/apis/example.com/v1`)).json.resources[0]).toMatchObject({
      name: 'widgets',
      kind: 'Widget',
      shortNames: ['wd'],
    });
    const created = await call(`${server.url}/apis/example.com/v1/namespaces/default/widgets`, {
      method: 'POST',
      body: {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w' },
        spec: { color: 'blue' },
      },
    });
    expect(created.status).toBe(201);
    const selected = await call(`${server.url}/apis/example.com/v1/widgets?fieldSelector=spec.color%3Dblue`);
    expect(selected.json).toMatchObject({
      kind: 'WidgetList',
      apiVersion: 'example.com/v1',
      items: [{ metadata: { name: 'w' } }],
    });
    expect(server.store.get('wd', 'default/w')).toMatchObject({ spec: { color: 'blue' } });
  });

  it('publishes OpenAPI v3 entries so kubectl leaves field validation to the server', async () => {
    server = await FakeApiServer.start();
    const root = (await call(`${server.url}/openapi/v3`)).json;
    const url = root.paths['api/v1'].serverRelativeURL;
    expect(url).toMatch(/^\/openapi\/v3\/api\/v1\?hash=/);
    const document = (await call(`${server.url}${url}`)).json;
    const patch = document.paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: '', version: 'v1', kind: 'Pod' });
    expect(patch.parameters).toContainEqual(
      expect.objectContaining({ name: 'fieldValidation', in: 'query' }),
    );
    expect((await call(`${server.url}/openapi/v2`)).status).toBe(404);
  });

  it('answers unknown paths and methods with a Status', async () => {
    server = await FakeApiServer.start();
    const missing = await call(`${server.url}/api/v1/widgets`);
    expect(missing.status).toBe(404);
    expect(missing.json.kind).toBe('Status');
    const notAllowed = await call(`${server.url}/api/v1/namespaces/default/pods`, {
      method: 'PUT',
      body: {},
    });
    expect(notAllowed.status).toBe(405);
    expect((await call(`${server.url}/healthz`)).text).toBe('ok');
  });
});
