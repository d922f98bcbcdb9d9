import { afterEach, describe, expect, it } from 'vitest';
import { FakeApiServer } from '../fake-api-server.js';
import { podFixture } from '../fixtures/pod-fixture.js';
import { call, WatchStream } from '../test-support/http-client.js';
import { age } from './table-columns.js';

let server: FakeApiServer;
const streams: WatchStream[] = [];
afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close();
  await server?.close();
});

// What kubectl get sends: a v1 Table, a v1beta1 Table, or plain JSON.
const kubectlAccept =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

describe('tables', () => {
  it('renders lists, objects and watch events as Tables for kubectl get', async () => {
    server = await FakeApiServer.start();
    server.store.create('pods', podFixture({ name: 'web-0', nodeName: 'node-1', podIP: '10.244.1.7' }));
    const pods = `${server.url}/api/v1/namespaces/default/pods`;
    const list = await call(`${pods}?limit=10`, { headers: { accept: kubectlAccept } });
    expect(list.headers['content-type']).toBe('application/json;as=Table;v=v1;g=meta.k8s.io');
    expect(list.json).toMatchObject({
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: server.resourceVersion },
    });
    expect(list.json.columnDefinitions.map((column: { name: string }) => column.name)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
      'IP',
      'Node',
    ]);
    expect(list.json.rows[0].cells).toEqual([
      'web-0',
      '1/1',
      'Running',
      0,
      expect.stringMatching(/^\d+s$/),
      '10.244.1.7',
      'node-1',
    ]);
    expect(list.json.rows[0].object).toMatchObject({
      kind: 'PartialObjectMetadata',
      metadata: { name: 'web-0' },
    });

    const withObject = await call(`${pods}/web-0?includeObject=Object`, {
      headers: { accept: kubectlAccept },
    });
    expect(withObject.json.rows[0].object).toMatchObject({ kind: 'Pod', spec: { nodeName: 'node-1' } });
    const without = await call(`${pods}?includeObject=None`, { headers: { accept: kubectlAccept } });
    expect(without.json.rows[0].object).toBeUndefined();
    expect((await call(`${pods}?includeObject=All`, { headers: { accept: kubectlAccept } })).status).toBe(
      400,
    );

    const stream = await WatchStream.open(`${pods}?watch=1&resourceVersion=${server.resourceVersion}`, {
      headers: { accept: kubectlAccept },
    });
    streams.push(stream);
    server.store.patch('pods', 'default/web-0', { status: { phase: 'Failed' } });
    const event = await stream.next();
    expect(event.type).toBe('MODIFIED');
    expect(event.object).toMatchObject({
      kind: 'Table',
      rows: [{ cells: ['web-0', '1/1', 'Failed', 0, expect.any(String), '10.244.1.7', 'node-1'] }],
    });
  });

  it('falls back to Name and Age for kinds without dedicated columns, and refuses v1beta1-only requests', async () => {
    server = await FakeApiServer.start();
    server.store.create('leases', { metadata: { name: 'leader' } });
    const leases = `${server.url}/apis/coordination.k8s.io/v1/namespaces/default/leases`;
    const table = (await call(leases, { headers: { accept: kubectlAccept } })).json;
    expect(table.columnDefinitions.map((column: { name: string }) => column.name)).toEqual(['Name', 'Age']);
    expect(
      (await call(leases, { headers: { accept: 'application/json;as=Table;v=v1beta1;g=meta.k8s.io' } }))
        .status,
    ).toBe(406);
  });

  it('formats ages like the API server', () => {
    const now = new Date('2025-01-10T00:00:00Z');
    const ago = (seconds: number) => age(new Date(now.getTime() - seconds * 1000).toISOString(), now);
    expect(ago(5)).toBe('5s');
    expect(ago(119)).toBe('119s');
    expect(ago(7 * 60 + 12)).toBe('7m12s');
    expect(ago(45 * 60)).toBe('45m');
    expect(ago(5 * 3600 + 30 * 60)).toBe('5h30m');
    expect(ago(30 * 3600)).toBe('30h');
    expect(ago(3 * 86_400 + 4 * 3600)).toBe('3d4h');
    expect(ago(400 * 86_400)).toBe('400d');
    expect(ago(-10)).toBe('0s');
    expect(age(undefined, now)).toBe('<unknown>');
  });
});
