import { describe, expect, it } from 'vitest';
import { ManualClock } from '../time/manual-clock.js';
import { createEventRecorder } from './event-recorder.js';
import type { EventSeries, EventSink, KubernetesEvent } from './kubernetes-event.js';

/** Records every API request; `gone` names Events the server expired, `failures` fails the next calls. */
class RecordingSink implements EventSink {
  readonly requests: { verb: 'create' | 'update'; name: string; count: number }[] = [];
  readonly stored = new Map<string, KubernetesEvent>();
  failures = 0;
  async create(event: KubernetesEvent): Promise<void> {
    this.requests.push({ verb: 'create', name: event.metadata.name, count: event.series?.count ?? 1 });
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('503');
    }
    this.stored.set(event.metadata.name, event);
  }
  async updateSeries(event: KubernetesEvent, series: EventSeries): Promise<boolean> {
    this.requests.push({ verb: 'update', name: event.metadata.name, count: series.count });
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('503');
    }
    const stored = this.stored.get(event.metadata.name);
    if (stored === undefined) return false;
    this.stored.set(event.metadata.name, { ...stored, series });
    return true;
  }
}

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace: 'default', name: 'web-0', uid: 'u-1', resourceVersion: '7' },
};
const failed = { type: 'Warning', reason: 'ReconcileFailed', action: 'Reconcile', note: 'boom' } as const;

/** Moves time in `stepMs` steps, letting the sink's promises settle after each. */
async function advance(clock: ManualClock, totalMs: number, stepMs = 1000): Promise<void> {
  for (let moved = 0; moved < totalMs; moved += stepMs) {
    clock.advance(Math.min(stepMs, totalMs - moved));
    await new Promise((resolve) => setTimeout(resolve, 0)); // a macrotask: every microtask before it ran
  }
}

function setup(options: Partial<Parameters<typeof createEventRecorder>[0]> = {}) {
  const clock = new ManualClock();
  const sink = new RecordingSink();
  const errors: unknown[] = [];
  const recorder = createEventRecorder({
    sink,
    reportingController: 'example.com/demo',
    reportingInstance: 'demo-0',
    clock,
    wallClock: () => Date.UTC(2026, 11, 7) + clock.now(),
    onError: (error) => errors.push(error),
    ...options,
  });
  return { clock, sink, recorder, errors };
}

describe('createEventRecorder', () => {
  it('a reconcile failing 1,000 times a second for a minute costs one create and one update per interval, with the exact count', async () => {
    const { clock, sink, recorder } = setup();
    for (let millisecond = 0; millisecond < 60_000; millisecond += 1) {
      recorder.record(pod, failed);
      clock.advance(1);
      if (millisecond % 1000 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await advance(clock, 10_000);
    const creates = sink.requests.filter((request) => request.verb === 'create');
    const updates = sink.requests.filter((request) => request.verb === 'update');
    expect(creates).toHaveLength(1);
    // One update per 10 s interval: at 10, 20, …, 60 s and the last one with the final count.
    expect(updates.length).toBeLessThanOrEqual(Math.ceil(70_000 / 10_000));
    expect(updates.at(-1)?.count).toBe(60_000);
    const [stored] = sink.stored.values();
    expect(stored).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { namespace: 'default' },
      type: 'Warning',
      reason: 'ReconcileFailed',
      action: 'Reconcile',
      note: 'boom',
      reportingController: 'example.com/demo',
      reportingInstance: 'demo-0',
      regarding: { kind: 'Pod', name: 'web-0', namespace: 'default', uid: 'u-1', apiVersion: 'v1' },
      series: { count: 60_000, lastObservedTime: '2026-12-07T00:00:59.999000Z' },
      eventTime: '2026-12-07T00:00:00.000000Z',
    });
    expect(stored?.metadata.name).toMatch(/^web-0\.[0-9a-f]+$/);
    expect(clock.pendingTimers).toBe(0);
  });

  it('rate limits writes per object (burst, then one per refill) without losing any occurrence', async () => {
    const { clock, sink, recorder } = setup({ objectRateLimit: { burst: 3, refillMs: 60_000 } });
    for (let index = 0; index < 5; index += 1) recorder.record(pod, { ...failed, reason: `Reason${index}` });
    recorder.record({ ...pod, metadata: { ...pod.metadata, name: 'web-1', uid: 'u-2' } }, failed);
    await advance(clock, 1, 1);
    // Three for web-0 (its burst), one for web-1 (a bucket of its own).
    expect(sink.requests.map((request) => request.name.split('.')[0])).toEqual([
      'web-0',
      'web-0',
      'web-0',
      'web-1',
    ]);
    await advance(clock, 59_000);
    expect(sink.requests).toHaveLength(4);
    await advance(clock, 1000);
    expect(sink.requests).toHaveLength(5);
    await advance(clock, 60_000);
    expect(sink.requests).toHaveLength(6);
    expect([...sink.stored.values()].map((event) => event.reason).sort()).toEqual([
      'Reason0',
      'Reason1',
      'Reason2',
      'Reason3',
      'Reason4',
      'ReconcileFailed',
    ]);
  });

  it('joins events that differ only in the note, keeping the first note; another reason is another series', async () => {
    const { clock, sink, recorder } = setup();
    recorder.record(pod, failed);
    recorder.record(pod, { ...failed, note: 'boom again' });
    recorder.record(pod, { type: 'Normal', reason: 'Reconciled', action: 'Reconcile' });
    await advance(clock, 1, 1); // the create lands at 1 ms
    await advance(clock, 10_000);
    const events = [...sink.stored.values()];
    expect(events.map((event) => [event.reason, event.note, event.series?.count])).toEqual([
      ['ReconcileFailed', 'boom', 2],
      ['Reconciled', undefined, undefined],
    ]);
  });

  it('starts a new Event after a quiet seriesExpiryMs, and creates again when the server expired one', async () => {
    const { clock, sink, recorder } = setup({ seriesExpiryMs: 60_000 });
    recorder.record(pod, failed);
    await advance(clock, 61_000);
    recorder.record(pod, failed);
    await advance(clock, 1);
    expect(sink.stored.size).toBe(2);
    // The second Event expires on the server; its series update finds it gone and creates it again.
    const [, second] = [...sink.stored.keys()];
    sink.stored.delete(second ?? '');
    recorder.record(pod, failed);
    await advance(clock, 10_000);
    expect(sink.requests.slice(-2).map((request) => [request.verb, request.count])).toEqual([
      ['update', 2],
      ['create', 2],
    ]);
    expect(sink.stored.get(second ?? '')?.series?.count).toBe(2);
  });

  it('reports failed writes and retries them after the interval with the count meanwhile', async () => {
    const { clock, sink, recorder, errors } = setup();
    sink.failures = 1;
    recorder.record(pod, failed);
    await advance(clock, 1, 1);
    expect(errors).toHaveLength(1);
    recorder.record(pod, failed);
    await advance(clock, 10_000);
    expect(sink.requests.map((request) => [request.verb, request.count])).toEqual([
      ['create', 1],
      ['create', 2],
    ]);
  });

  it('flush writes pending counts at once; an evicted unwritten series counts as dropped', async () => {
    const { clock, sink, recorder } = setup({ maxSeries: 2 });
    recorder.record(pod, failed);
    await advance(clock, 1, 1);
    recorder.record(pod, failed);
    recorder.record(pod, failed);
    await recorder.flush();
    expect(sink.requests.at(-1)).toMatchObject({ verb: 'update', count: 3 });
    expect(clock.pendingTimers).toBe(0);
    // Two more series while the first object's bucket is empty: the oldest is evicted unwritten.
    const limited = setup({ maxSeries: 2, objectRateLimit: { burst: 1, refillMs: 60_000 } });
    for (const reason of ['A', 'B', 'C']) limited.recorder.record(pod, { ...failed, reason });
    expect(limited.recorder.dropped).toBe(1);
  });

  it('flush waits for a create in flight, then writes what came meanwhile', async () => {
    const { clock, sink, recorder } = setup();
    recorder.record(pod, failed);
    recorder.record(pod, failed);
    await recorder.flush();
    expect(sink.requests.map((request) => [request.verb, request.count])).toEqual([
      ['create', 1],
      ['update', 2],
    ]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('puts events of cluster-scoped objects in default and cuts notes at 1 kB', async () => {
    const { clock, sink, recorder } = setup();
    recorder.record(
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } },
      { ...failed, note: 'é'.repeat(2000) },
    );
    await advance(clock, 1, 1);
    const [event] = sink.stored.values();
    expect(event?.metadata.namespace).toBe('default');
    expect(new TextEncoder().encode(event?.note).length).toBeLessThanOrEqual(1024);
    expect(event?.note?.endsWith('…')).toBe(true);
  });

  it('closes: writes what is pending once, leaves no timer when that write fails, and ignores later records', async () => {
    const clock = new ManualClock();
    const sink = new RecordingSink();
    const errors: unknown[] = [];
    const recorder = createEventRecorder({
      sink,
      clock,
      wallClock: () => 0,
      reportingController: 'example.com/test',
      reportingInstance: 'test-0',
      onError: (error) => errors.push(error),
    });
    recorder.record(pod, failed);
    await advance(clock, 1000);
    recorder.record(pod, failed);
    expect(clock.pendingTimers).toBe(1);
    sink.failures = 1;
    await recorder.close();
    expect(sink.requests.map(({ verb, count }) => `${verb} ${count}`)).toEqual(['create 1', 'update 2']);
    expect(errors).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
    recorder.record(pod, failed);
    await advance(clock, 60_000);
    expect(sink.requests).toHaveLength(2);
  });
});
