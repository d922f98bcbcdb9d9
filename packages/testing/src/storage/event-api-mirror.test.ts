import { afterEach, expect, it } from 'vitest';
import { FakeApiServer } from '../fake-api-server.js';

let server: FakeApiServer | undefined;
afterEach(async () => {
  await server?.close();
});

it('mirrors events.k8s.io/v1 Events into core/v1 under the core field names, through create, update and delete', async () => {
  server = await FakeApiServer.start();
  const events = { group: 'events.k8s.io', resource: 'events' };
  server.store.create(events, {
    metadata: { name: 'web-0.1', namespace: 'default' },
    eventTime: '2026-12-07T00:00:00.000000Z',
    type: 'Warning',
    reason: 'ReconcileFailed',
    action: 'Reconcile',
    note: 'boom',
    regarding: { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u-1' },
    reportingController: 'example.com/demo',
    reportingInstance: 'demo-0',
  });
  const [core] = server.store.list('events');
  expect(core).toMatchObject({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web-0.1', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'web-0', uid: 'u-1' },
    message: 'boom',
    reportingComponent: 'example.com/demo',
    reportingInstance: 'demo-0',
    action: 'Reconcile',
  });
  server.store.patch(events, 'default/web-0.1', {
    series: { count: 3, lastObservedTime: '2026-12-07T00:00:01.000000Z' },
  });
  expect(server.store.list('events')[0]).toMatchObject({ series: { count: 3 } });
  server.store.delete(events, 'default/web-0.1');
  expect(server.store.list('events')).toEqual([]);
});
