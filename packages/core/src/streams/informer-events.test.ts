import { describe, expect, it } from 'vitest';
import { EventStreamOverflowError } from '../errors/event-stream-overflow-error.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { createInformerFactory } from '../informer/informer-factory.js';
import type { ResourceEventHandler } from '../informer/resource-event-handler.js';
import type { DeepReadonly } from '../store/deep-readonly.js';
import { InMemoryApi } from '../test-support/in-memory-api.js';
import { testPods } from '../test-support/test-resources.js';
import { ManualClock } from '../time/manual-clock.js';
import type { EventStreamSource, InformerEvent } from './informer-events.js';
import { informerEvents } from './informer-events.js';

interface Item {
  readonly name: string;
  readonly version: number;
}

/** A hand-driven informer whose store and handlers move together, as a real one's do. */
class ScriptedInformer implements EventStreamSource<Item> {
  readonly handlers = new Set<ResourceEventHandler<Item>>();
  readonly items = new Map<string, Item>();
  readonly store = { list: () => [...this.items.values()] };
  addEventHandler(handler: ResourceEventHandler<Item>) {
    for (const item of this.items.values()) handler.onAdd?.(item, { isInInitialList: true });
    this.handlers.add(handler);
    const remove = () => {
      this.handlers.delete(handler);
    };
    return { hasSynced: () => true, remove, [Symbol.dispose]: remove };
  }
  put(name: string, version: number): void {
    const previous = this.items.get(name);
    const item = { name, version };
    this.items.set(name, item);
    for (const handler of this.handlers) {
      if (previous === undefined) handler.onAdd?.(item, { isInInitialList: false });
      else handler.onUpdate?.(previous, item);
    }
  }
  remove(name: string): void {
    const previous = this.items.get(name);
    if (previous === undefined) return;
    this.items.delete(name);
    for (const handler of this.handlers) handler.onDelete?.(previous, { finalStateUnknown: false });
  }
}

const describeEvent = (event: InformerEvent<Item>): string =>
  event.type === 'restarted'
    ? `restarted ${event.objects.map((item) => `${item.name}@${item.version}`).join(',')}`
    : `${event.type} ${event.object.name}@${event.object.version}`;

describe('informerEvents', () => {
  it('starts with the cache as initial adds (outside the bound), then yields live events in order', async () => {
    const informer = new ScriptedInformer();
    for (const name of ['a', 'b', 'c']) informer.put(name, 1);
    const stream = informerEvents(informer, { bufferSize: 1 });
    const first = await stream.next();
    expect(first.value).toEqual({ type: 'add', object: { name: 'a', version: 1 }, isInInitialList: true });
    informer.put('a', 2);
    const seen = [describeEvent((await stream.next()).value as InformerEvent<Item>)];
    seen.push(describeEvent((await stream.next()).value as InformerEvent<Item>));
    seen.push(describeEvent((await stream.next()).value as InformerEvent<Item>));
    // A consumer waiting on an empty buffer is woken by the next event.
    const waiting = stream.next();
    informer.remove('b');
    seen.push(describeEvent((await waiting).value as InformerEvent<Item>));
    expect(seen).toEqual(['add b@1', 'add c@1', 'update a@2', 'delete b@1']);
    await stream.return();
    expect(informer.handlers.size).toBe(0);
  });

  it('on overflow drops the waiting events and delivers the whole cache as one restarted marker', async () => {
    const informer = new ScriptedInformer();
    informer.put('a', 1);
    const stream = informerEvents(informer, { bufferSize: 2 });
    await stream.next(); // subscribes; add a@1
    informer.put('a', 2);
    informer.put('b', 1);
    informer.put('c', 1); // the third waiting event: overflow
    informer.put('a', 3); // after the overflow, before the marker: the marker carries it
    informer.remove('c');
    const marker = (await stream.next()).value as InformerEvent<Item>;
    expect(describeEvent(marker)).toBe('restarted a@3,b@1');
    informer.put('d', 1);
    expect(describeEvent((await stream.next()).value as InformerEvent<Item>)).toBe('add d@1');
    await stream.return();
  });

  it("with onOverflow 'error' ends with EventStreamOverflowError and unsubscribes", async () => {
    const informer = new ScriptedInformer();
    const stream = informerEvents(informer, { bufferSize: 2, onOverflow: 'error' });
    const waiting = stream.next(); // subscribes and waits
    informer.put('a', 1);
    expect(describeEvent((await waiting).value as InformerEvent<Item>)).toBe('add a@1');
    for (let version = 2; version <= 4; version += 1) informer.put('a', version);
    const error = await stream.next().then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
    expect(error).toBeInstanceOf(EventStreamOverflowError);
    expect(error).toMatchObject({ code: 'KI_EVENT_STREAM_OVERFLOW', bufferSize: 2 });
    expect(informer.handlers.size).toBe(0);
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it('ends quietly when the signal aborts, also while waiting, and unsubscribes', async () => {
    const informer = new ScriptedInformer();
    const stop = new AbortController();
    const seen: string[] = [];
    const loop = (async () => {
      for await (const event of informerEvents(informer, { signal: stop.signal }))
        seen.push(describeEvent(event));
    })();
    await new Promise((resolve) => setTimeout(resolve, 0));
    informer.put('a', 1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    stop.abort();
    await loop;
    expect(seen).toEqual(['add a@1']);
    expect(informer.handlers.size).toBe(0);
    // An aborted signal yields nothing and never subscribes.
    const none = informerEvents(informer, { signal: stop.signal });
    expect(await none.next()).toEqual({ done: true, value: undefined });
    expect(informer.handlers.size).toBe(0);
  });

  it('keeps at most bufferSize events for a consumer that never catches up, and loses none', async () => {
    const informer = new ScriptedInformer();
    const stream = informerEvents(informer, { bufferSize: 4 });
    const waiting = stream.next();
    informer.put('a', 0);
    await waiting;
    informer.put('a', 1);
    let expected = 1;
    // Always one event behind (the buffer never empties, so it is compacted as it goes), never over.
    for (let version = 2; version <= 5000; version += 1) {
      informer.put('a', version);
      const event = (await stream.next()).value as InformerEvent<Item>;
      expect(describeEvent(event)).toBe(`update a@${expected}`);
      expected += 1;
    }
    await stream.return();
  });

  it('refuses a bufferSize that cannot work', async () => {
    const stream = informerEvents(new ScriptedInformer(), { bufferSize: 0 });
    await expect(stream.next()).rejects.toBeInstanceOf(InvalidOptionError);
  });

  it("is a SharedInformer's events(): the cache first, then changes from the server", async () => {
    const clock = new ManualClock();
    const api = new InMemoryApi(clock);
    api.create(testPods, { metadata: { name: 'p1', namespace: 'default' } });
    const factory = createInformerFactory(api, { clock, onError: () => {} });
    const informer = factory.informerFor(testPods);
    const stop = new AbortController();
    factory.start(stop.signal);
    await factory.waitForCacheSync(stop.signal);
    const seen: string[] = [];
    const name = (object: DeepReadonly<{ metadata?: { name?: string } }>) => object.metadata?.name;
    for await (const event of informer.events({ signal: stop.signal })) {
      if (event.type === 'restarted') throw new Error('no overflow expected');
      seen.push(`${event.type} ${name(event.object)}`);
      if (seen.length === 1) api.create(testPods, { metadata: { name: 'p2', namespace: 'default' } });
      if (seen.length === 2) api.delete(testPods, 'default/p1');
      if (seen.length === 3) break;
    }
    expect(seen).toEqual(['add p1', 'add p2', 'delete p1']);
    stop.abort();
  });
});
