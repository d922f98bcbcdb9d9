import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EventSink, KubernetesEvent } from '@kubeinformers/core';
import { createEventRecorder, LeadershipLostError, ManualClock } from '@kubeinformers/core';
import { FakeApiServer } from '@kubeinformers/testing';
import { CoreV1Api, EventsV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { createEventSink } from './event-sink.js';
import { scriptedGuard } from './test-support/scripted-guard.js';

const run = promisify(execFile);
const kubectl = '/usr/bin/kubectl';
if (!existsSync(kubectl))
  console.warn(`\n*** ${kubectl} NOT FOUND: the kubectl describe check is SKIPPED ***\n`);

let server: FakeApiServer | undefined;
let directory: string | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  directory = undefined;
});

/** Counts the API requests a sink makes. */
function counted(sink: EventSink) {
  const requests: string[] = [];
  const wrapped: EventSink = {
    create: (event) => {
      requests.push('create');
      return sink.create(event);
    },
    updateSeries: (event, series) => {
      requests.push('update');
      return sink.updateSeries(event, series);
    },
  };
  return { requests, sink: wrapped };
}

describe('createEventSink with createEventRecorder against the fake API server', () => {
  it('records a failing loop as one Event with a series; kubectl describe shows the count', async () => {
    server = await FakeApiServer.start({});
    const config = new KubeConfig();
    config.loadFromString(server.kubeconfig());
    const pod = await config.makeApiClient(CoreV1Api).createNamespacedPod({
      namespace: 'default',
      body: { metadata: { name: 'web-0' }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
    });
    const clock = new ManualClock();
    const { requests, sink } = counted(createEventSink(config));
    const recorder = createEventRecorder({
      sink,
      reportingController: 'example.com/demo',
      reportingInstance: 'demo-0',
      clock,
    });
    const reference = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { namespace: 'default', name: 'web-0', uid: pod.metadata?.uid ?? '' },
    };
    // A reconcile failing 1,000 times a second, for one second of the recorder's clock.
    for (let attempt = 0; attempt < 1000; attempt += 1) {
      recorder.record(reference, {
        type: 'Warning',
        reason: 'ReconcileFailed',
        action: 'Reconcile',
        note: 'the backend refused the write',
      });
      clock.advance(1);
    }
    await recorder.flush();
    expect(requests).toEqual(['create', 'update']);
    const { items } = await config.makeApiClient(EventsV1Api).listNamespacedEvent({ namespace: 'default' });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      reason: 'ReconcileFailed',
      reportingController: 'example.com/demo',
      reportingInstance: 'demo-0',
      series: { count: 1000 },
    });
    const coreEvents = await config.makeApiClient(CoreV1Api).listNamespacedEvent({
      namespace: 'default',
      fieldSelector: `involvedObject.uid=${pod.metadata?.uid}`,
    });
    expect(
      coreEvents.items.map((event) => [event.message, event.reportingComponent, event.series?.count]),
    ).toEqual([['the backend refused the write', 'example.com/demo', 1000]]);

    if (!existsSync(kubectl)) return;
    directory = mkdtempSync(join(tmpdir(), 'event-sink-'));
    const kubeconfig = join(directory, 'config');
    writeFileSync(kubeconfig, server.kubeconfig());
    const { stdout } = await run(
      kubectl,
      ['--kubeconfig', kubeconfig, '--cache-dir', join(directory, 'cache'), 'describe', 'pod', 'web-0'],
      { timeout: 60_000 },
    );
    const events = stdout.slice(stdout.indexOf('Events:'));
    expect(events).toMatch(
      /Warning\s+ReconcileFailed\s+.*\(x1000 over .*\)\s+example\.com\/demo\s+the backend refused the write/,
    );
  });
});

describe('createEventSink with a guard', () => {
  it('writes Events while the guard holds; a replaced leader creates and updates none', async () => {
    server = await FakeApiServer.start({});
    const config = new KubeConfig();
    config.loadFromString(server.kubeconfig());
    // The first write is admitted (asked when built and when sent); every later one is refused.
    const guard = scriptedGuard([true, true, false]);
    const sink = createEventSink(config, { guard });
    const created: KubernetesEvent[] = [];
    const recorder = createEventRecorder({
      sink: {
        create: (event) => {
          created.push(event);
          return sink.create(event);
        },
        updateSeries: (event, series) => sink.updateSeries(event, series),
      },
      reportingController: 'example.com/demo',
      reportingInstance: 'demo-0',
      clock: new ManualClock(),
    });
    recorder.record(
      { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'default', name: 'web-0', uid: 'u-1' } },
      { type: 'Normal', reason: 'Synced', action: 'Reconcile', note: 'in sync' },
    );
    await recorder.flush();
    const [event] = created;
    if (event === undefined) throw new Error('the recorder created no Event');
    expect(guard.calls).toBe(2);

    const update = await sink
      .updateSeries(event, { count: 2, lastObservedTime: event.eventTime })
      .catch((error: unknown) => error);
    expect(update).toBeInstanceOf(LeadershipLostError);
    const another = await sink
      .create({ ...event, metadata: { ...event.metadata, name: `${event.metadata.name}-again` } })
      .catch((error: unknown) => error);
    expect(another).toMatchObject({ code: 'KI_LEADERSHIP_LOST' });
    const { items } = await config.makeApiClient(EventsV1Api).listNamespacedEvent({ namespace: 'default' });
    expect(items.map((item) => [item.metadata?.name, item.series])).toEqual([
      [event.metadata.name, undefined],
    ]);
  });
});
