import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeApiServer } from '../fake-api-server.js';
import { call } from '../test-support/http-client.js';

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

  it('serves the resource of a CustomResourceDefinition once it is created, and reports it established', async () => {
    server = await FakeApiServer.start();
    const created = await call(`${server.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions`, {
      method: 'POST',
      body: {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'gadgets.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Cluster',
          names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', shortNames: ['gd'] },
          versions: [
            { name: 'v1alpha1', served: true, storage: false },
            { name: 'v1', served: true, storage: true, selectableFields: [{ jsonPath: '.spec.size' }] },
          ],
        },
      },
    });
    expect(created.status).toBe(201);
    await vi.waitFor(
      async () => {
        const definition = (
          await call(
            `${server.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com`,
          )
        ).json;
        expect(definition.status.conditions).toContainEqual(
          expect.objectContaining({ type: 'Established', status: 'True' }),
        );
      },
      { timeout: 2_000 },
    );
    const resources = (await call(`${server.url}/apis/example.com/v1`)).json.resources;
    expect(resources).toContainEqual(
      expect.objectContaining({ name: 'gadgets', kind: 'Gadget', namespaced: false, shortNames: ['gd'] }),
    );
    const gadget = await call(`${server.url}/apis/example.com/v1/gadgets`, {
      method: 'POST',
      body: { metadata: { name: 'g' }, spec: { size: 'L' } },
    });
    expect(gadget.json).toMatchObject({ kind: 'Gadget', apiVersion: 'example.com/v1' });
    expect(
      (await call(`${server.url}/apis/example.com/v1/gadgets?fieldSelector=spec.size%3DL`)).json.items,
    ).toHaveLength(1);

    const clash = await call(`${server.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions`, {
      method: 'POST',
      body: {
        metadata: { name: 'pods.apps' },
        spec: {
          group: 'apps',
          scope: 'Namespaced',
          names: { plural: 'deployments', kind: 'Other' },
          versions: [{ name: 'v1', served: true, storage: true }],
        },
      },
    });
    expect(clash.status).toBe(201);
    await vi.waitFor(
      async () => {
        const definition = (
          await call(`${server.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions/pods.apps`)
        ).json;
        expect(definition.status.conditions).toContainEqual(
          expect.objectContaining({ type: 'NamesAccepted', status: 'False' }),
        );
      },
      { timeout: 2_000 },
    );
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
