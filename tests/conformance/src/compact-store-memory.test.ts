import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  createInformerFactory,
  defineResource,
  type KubeObject,
  type Transport,
  type TransportResponse,
} from '@kubeinformers/core';
import { afterEach, describe, expect, it } from 'vitest';

// What only a garbage collection can show: what the compact store's texts keep alive, and that identity
// lasts exactly as long as somebody holds the object. `--expose-gc` at run time, for this file's worker.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/**
 * The heap after full collections, once the current job has ended: a `WeakRef` keeps its target alive
 * until then (the objects the store just handed out or was written with).
 */
async function settledHeap(): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  for (let round = 0; round < 4; round++) collect();
  return process.memoryUsage().heapUsed;
}

interface Pod extends KubeObject {
  spec?: { padding?: string };
  status?: { phase?: string };
}

const pods = defineResource<Pod>({
  group: '',
  version: 'v1',
  resource: 'pods',
  kind: 'Pod',
  namespaced: true,
});
const encoder = new TextEncoder();

/** A pod whose JSON is about `size` characters, plus managedFields of `managedSize` characters. */
function pod(index: number, version: number, size: number, managedSize = 0): Pod {
  return {
    metadata: {
      name: `pod-${index}`,
      namespace: `ns-${index % 7}`,
      uid: `uid-${index}`,
      resourceVersion: String(version),
      ...(managedSize > 0
        ? { managedFields: [{ manager: 'kubelet', fieldsV1: 'm'.repeat(managedSize) }] }
        : {}),
    },
    spec: { padding: `${index}`.padEnd(size, 'p') },
  };
}

/**
 * A transport serving one list (in pages of the requested size) and one watch whose lines the test
 * pushes; the watch stays open until the informer stops.
 */
class ScriptedPods implements Transport {
  private readonly pending: string[] = [];
  private wake: (() => void) | undefined;

  constructor(private readonly items: readonly Pod[]) {}

  push(...events: { type: string; object: Pod }[]): void {
    for (const event of events) this.pending.push(`${JSON.stringify(event)}\n`);
    this.wake?.();
  }

  async request(request: Parameters<Transport['request']>[0]): Promise<TransportResponse> {
    const headers = { 'content-type': 'application/json' };
    if (request.query?.watch === 'true') return { status: 200, headers, body: this.watch(request.signal) };
    const start = Number(request.query?.continue ?? 0);
    const limit = Number(request.query?.limit ?? this.items.length);
    const end = Math.min(start + limit, this.items.length);
    const page = JSON.stringify({
      kind: 'PodList',
      apiVersion: 'v1',
      metadata: { resourceVersion: '1', ...(end < this.items.length ? { continue: String(end) } : {}) },
      items: this.items.slice(start, end).map(({ apiVersion, kind, ...item }) => item),
    });
    return { status: 200, headers, body: chunks(encoder.encode(page)) };
  }

  private async *watch(signal: AbortSignal): AsyncGenerator<Uint8Array> {
    while (!signal.aborted) {
      const lines = this.pending.splice(0);
      if (lines.length > 0) yield encoder.encode(lines.join(''));
      else
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
    }
  }
}

/** The body in 64 KB chunks, as a socket delivers it. */
async function* chunks(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += 65_536) yield bytes.subarray(offset, offset + 65_536);
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function start(items: readonly Pod[], pruneManagedFields = false) {
  const transport = new ScriptedPods(items);
  const factory = createInformerFactory(transport, {
    storage: 'compact',
    onError: (error) => {
      throw error;
    },
  });
  const informer = factory.informerFor(pods, { pruneManagedFields });
  const controller = new AbortController();
  factory.start(controller.signal);
  await factory.waitForCacheSync(controller.signal);
  stops.push(async () => {
    controller.abort();
    await factory.shutdown();
  });
  /** Pushes `events` and waits until the informer applied the last one. */
  const deliver = async (...events: { type: string; object: Pod }[]) => {
    const last = events.at(-1)?.object.metadata?.resourceVersion;
    transport.push(...events);
    for (let turn = 0; turn < 1000 && informer.lastSyncResourceVersion !== last; turn++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    expect(informer.lastSyncResourceVersion).toBe(last);
  };
  return { informer, deliver };
}

describe("storage: 'compact' in memory (garbage collected)", () => {
  it('retains about its text per object, and no list page: item texts are not slices of the page', async () => {
    const count = 3000;
    const size = 8000;
    const items = Array.from({ length: count }, (_, index) => pod(index, 1, size));
    // Stringifying flattens the padding ropes in place: before the baseline, not counted as the store's.
    const textLength = JSON.stringify(items).length / count;
    const before = await settledHeap();
    const { informer, deliver } = await start(items);
    expect(informer.store.size).toBe(count);
    const perObject = ((await settledHeap()) - before) / count;
    console.info(`compact store: ${Math.round(perObject)} B retained per object of ${textLength} characters`);
    expect(perObject).toBeLessThan(textLength * 1.1 + 600);

    // Keep one object in ten: a store whose texts were slices would keep every page alive through them.
    const kept = await settledHeap();
    await deliver(
      ...items
        .filter((_, index) => index % 10 !== 0)
        .map((object, index) => ({
          type: 'DELETED',
          object: { ...object, metadata: { ...object.metadata, resourceVersion: String(2 + index) } },
        })),
    );
    expect(informer.store.size).toBe(count / 10);
    const released = kept - (await settledHeap());
    expect(released).toBeGreaterThan(count * 0.9 * textLength * 0.9);
  });

  it('keeps a pruned watch line as a flat copy of what is left, not the line it was cut from', async () => {
    const count = 1000;
    const items = Array.from({ length: count }, (_, index) => pod(index, 1, 500));
    const { informer, deliver } = await start(items, true);
    const events = items.map((_, index) => ({
      type: 'MODIFIED',
      object: pod(index, 2 + index, 500, 20_000),
    }));
    JSON.stringify(events);
    const before = await settledHeap();
    await deliver(...events);
    const grown = ((await settledHeap()) - before) / count;
    // Each line is about 20.6 KB; what is kept of it about 0.6 KB (and replaces a text of that size).
    expect(grown).toBeLessThan(2000);
    expect(
      (informer.store.getByKey('ns-1/pod-1')?.metadata as { managedFields?: unknown } | undefined)
        ?.managedFields,
    ).toBeUndefined();
  });

  it('keeps identity while an object is held, parses again once nobody holds it', async () => {
    const items = Array.from({ length: 10 }, (_, index) => pod(index, 1, 100));
    const { informer, deliver } = await start(items);
    let held = informer.store.getByKey('ns-3/pod-3');
    collect();
    expect(informer.store.getByKey('ns-3/pod-3')).toBe(held);
    const heldRef = new WeakRef(held as object);
    // List items arrive without apiVersion and kind (their texts too); every read carries them.
    const listed = { apiVersion: 'v1', kind: 'Pod', ...(items[3] as Pod) };
    expect(held).toEqual(listed);
    held = undefined;
    await new Promise((resolve) => setTimeout(resolve, 0));
    collect();
    expect(heldRef.deref()).toBeUndefined();
    const again = informer.store.getByKey('ns-3/pod-3');
    expect(again).toEqual(listed);
    await deliver({ type: 'MODIFIED', object: { ...pod(4, 2, 100), apiVersion: 'v1', kind: 'Pod' } });
    await new Promise((resolve) => setTimeout(resolve, 0));
    collect();
    expect(informer.store.getByKey('ns-5/pod-5')).toMatchObject({ apiVersion: 'v1', kind: 'Pod' });
  });

  it('parses the old object of an update only for a handler that reads it', async () => {
    const items = Array.from({ length: 3 }, (_, index) => pod(index, 1, 100));
    const { informer, deliver } = await start(items);
    let reads = false;
    const oldPhases: (string | undefined)[] = [];
    informer.addEventHandler({
      onUpdate: (old) => {
        if (reads) oldPhases.push(old.status?.phase);
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    collect();
    const parse = JSON.parse;
    let parses = 0;
    JSON.parse = ((text: string, reviver?: Parameters<typeof parse>[1]) => {
      parses++;
      return parse(text, reviver);
    }) as typeof JSON.parse;
    try {
      await deliver({ type: 'MODIFIED', object: { ...pod(1, 2, 100), status: { phase: 'Running' } } });
      expect(parses).toBe(1); // the watch line only
      reads = true;
      await new Promise((resolve) => setTimeout(resolve, 0));
      collect();
      await deliver({ type: 'MODIFIED', object: { ...pod(1, 3, 100), status: { phase: 'Succeeded' } } });
      expect(parses).toBe(3); // the line, and the old text for the handler that read it
      expect(oldPhases).toEqual(['Running']);
    } finally {
      JSON.parse = parse;
    }
  });
});
