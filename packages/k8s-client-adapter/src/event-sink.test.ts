import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EventSink } from '@kubeinformers/core';
import { createEventRecorder, ManualClock } from '@kubeinformers/core';
import { FakeApiServer } from '@kubeinformers/testing';
import { CoreV1Api, EventsV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { createEventSink } from './event-sink.js';

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
