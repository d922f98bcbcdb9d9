import type { HandlerRegistration, KubeObject, ResourceEventHandler } from '@kubeinformers/core';
import { describe, expect, it } from 'vitest';
import { PodsPerNode } from './pods-per-node.js';

interface Pod extends KubeObject {
  spec: { nodeName?: string };
}

const pod = (name: string, nodeName?: string): Pod => ({ metadata: { name }, spec: { nodeName } });

/** An informer stand-in: replays what it holds to a new handler, as a synced informer does. */
class Events {
  handlers = new Set<ResourceEventHandler<Pod>>();
  held = [pod('a', 'n1')];
  addEventHandler(handler: ResourceEventHandler<Pod>): HandlerRegistration {
    this.handlers.add(handler);
    for (const object of this.held) handler.onAdd?.(object, { isInInitialList: true });
    return {
      hasSynced: () => true,
      remove: () => this.handlers.delete(handler),
      [Symbol.dispose]: () => this.handlers.delete(handler),
    };
  }
  emit(call: (handler: ResourceEventHandler<Pod>) => void): void {
    for (const handler of this.handlers) call(handler);
  }
}

describe('PodsPerNode', () => {
  it('counts from the replay and each event, moves pods between nodes, and notifies once per turn', () => {
    const events = new Events();
    const turns: (() => void)[] = [];
    const counter = new PodsPerNode(
      events,
      (object) => object.spec.nodeName,
      (callback) => turns.push(callback),
    );
    let heard = 0;
    const unsubscribe = counter.subscribe(() => {
      heard += 1;
    });
    expect(counter.getSnapshot()).toEqual(new Map([['n1', 1]]));
    const first = counter.getSnapshot();
    expect(counter.getSnapshot()).toBe(first);

    events.emit((handler) => handler.onAdd?.(pod('b', 'n2'), { isInInitialList: false }));
    events.emit((handler) => handler.onAdd?.(pod('c'), { isInInitialList: false }));
    events.emit((handler) => handler.onUpdate?.(pod('a', 'n1'), pod('a', 'n2')));
    events.emit((handler) => handler.onUpdate?.(pod('b', 'n2'), pod('b', 'n2')));
    expect(counter.getSnapshot()).toEqual(new Map([['n2', 2]]));
    events.emit((handler) => handler.onDelete?.(pod('b', 'n2'), { finalStateUnknown: false }));
    expect(counter.getSnapshot()).toEqual(new Map([['n2', 1]]));

    expect(turns.length).toBe(1);
    for (const turn of turns.splice(0)) turn();
    expect(heard).toBe(1);

    unsubscribe();
    expect(events.handlers.size).toBe(0);
    // A new subscriber starts from a fresh replay, not from counts kept while nobody listened.
    counter.subscribe(() => {});
    expect(counter.getSnapshot()).toEqual(new Map([['n1', 1]]));
  });
});
