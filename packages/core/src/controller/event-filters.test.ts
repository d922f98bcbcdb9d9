import { describe, expect, it } from 'vitest';
import { createInformerFactory } from '../informer/informer-factory.js';
import type { ObjectEvent } from '../informer/object-event.js';
import { InMemoryApi } from '../test-support/in-memory-api.js';
import { settle } from '../test-support/settle.js';
import { testPods } from '../test-support/test-resources.js';
import { ManualClock } from '../time/manual-clock.js';
import { createController } from './controller.js';
import type { EventFilter, FilterableObject } from './event-filters.js';
import {
  allOf,
  annotationsChanged,
  anyOf,
  filteredHandler,
  generationChanged,
  labelsChanged,
  not,
  resourceVersionChanged,
} from './event-filters.js';

type Meta = NonNullable<FilterableObject['metadata']>;
const object = (metadata: Meta): FilterableObject => ({ metadata });
const update = (before: Meta, after: Meta): ObjectEvent<FilterableObject> => ({
  type: 'update',
  oldObject: object(before),
  object: object(after),
});

describe('event filters', () => {
  const base: Meta = { generation: 1, resourceVersion: '10', labels: { a: '1' }, annotations: { n: 'x' } };
  const statusOnly = update(base, { ...base, resourceVersion: '11' });
  const specChange = update(base, { ...base, generation: 2, resourceVersion: '11' });
  const relabel = update(base, { ...base, labels: { a: '2' }, resourceVersion: '11' });
  const labelAdded = update(base, { ...base, labels: { a: '1', b: '1' }, resourceVersion: '11' });
  const labelsCleared = update(base, { ...base, labels: {}, resourceVersion: '11' });
  const reannotate = update(base, { ...base, annotations: { n: 'y' }, resourceVersion: '11' });
  const held = object(base);
  const resync: ObjectEvent<FilterableObject> = { type: 'update', oldObject: held, object: held };
  const add: ObjectEvent<FilterableObject> = { type: 'add', object: held, isInInitialList: false };
  const remove: ObjectEvent<FilterableObject> = { type: 'delete', object: held, finalStateUnknown: true };

  const table: [string, EventFilter<FilterableObject>, ObjectEvent<FilterableObject>, boolean][] = [
    ['generationChanged', generationChanged, statusOnly, false],
    ['generationChanged', generationChanged, specChange, true],
    ['generationChanged', generationChanged, relabel, false],
    ['labelsChanged', labelsChanged, statusOnly, false],
    ['labelsChanged', labelsChanged, relabel, true],
    ['labelsChanged', labelsChanged, labelAdded, true],
    ['labelsChanged', labelsChanged, labelsCleared, true],
    ['labelsChanged', labelsChanged, reannotate, false],
    ['annotationsChanged', annotationsChanged, reannotate, true],
    ['annotationsChanged', annotationsChanged, relabel, false],
    ['resourceVersionChanged', resourceVersionChanged, statusOnly, true],
    ['resourceVersionChanged', resourceVersionChanged, update(base, base), false],
    // The resync rule: "changed" filters let resyncs through, resourceVersionChanged drops them.
    ['generationChanged', generationChanged, resync, true],
    ['labelsChanged', labelsChanged, resync, true],
    ['annotationsChanged', annotationsChanged, resync, true],
    ['resourceVersionChanged', resourceVersionChanged, resync, false],
  ];
  it.each(table)('%s on case %#', (_, filter, event, kept) => {
    expect(filter(event)).toBe(kept);
  });

  it('lets adds and deletes through every built-in filter', () => {
    for (const filter of [generationChanged, labelsChanged, annotationsChanged, resourceVersionChanged]) {
      expect([filter(add), filter(remove)]).toEqual([true, true]);
    }
  });

  it('combines with allOf, anyOf and not', () => {
    expect(anyOf(generationChanged, labelsChanged)(relabel)).toBe(true);
    expect(anyOf(generationChanged, labelsChanged)(statusOnly)).toBe(false);
    expect(allOf(generationChanged, labelsChanged)(specChange)).toBe(false);
    expect(allOf(resourceVersionChanged, not(labelsChanged))(statusOnly)).toBe(true);
    expect(allOf<FilterableObject>()(statusOnly)).toBe(true);
    expect(anyOf<FilterableObject>()(statusOnly)).toBe(false);
  });

  it('keeps the event and reports when a filter throws; no filter returns the handler itself', () => {
    const seen: string[] = [];
    const errors: Error[] = [];
    const handler = {
      onAdd: () => {
        seen.push('add');
      },
      onUpdate: () => {
        seen.push('update');
      },
      onDelete: () => {
        seen.push('delete');
      },
    };
    expect(filteredHandler(handler, undefined, () => {})).toBe(handler);
    const wrapped = filteredHandler<FilterableObject>(
      handler,
      () => {
        throw new Error('bad filter');
      },
      (error) => errors.push(error),
    );
    wrapped.onAdd?.(held, { isInInitialList: true });
    expect(seen).toEqual(['add']);
    expect(errors.map((error) => error.message)).toEqual(['bad filter']);
    const dropAll = filteredHandler<FilterableObject>(
      handler,
      () => false,
      () => {},
    );
    dropAll.onUpdate?.(held, held);
    dropAll.onDelete?.(held, { finalStateUnknown: false });
    expect(seen).toEqual(['add']);
  });
});

describe('a controller with a filter', () => {
  it('does not reconcile again after a status-only update when filtering on generation, but still resyncs', async () => {
    const clock = new ManualClock();
    const api = new InMemoryApi(clock);
    const created = api.create(testPods, { metadata: { name: 'p1', namespace: 'default' } });
    const generation = (value: number) => ({ ...created.metadata, generation: value });
    api.update(testPods, { ...created, metadata: generation(1) });
    const factory = createInformerFactory(api, { clock, onError: () => {} });
    const informer = factory.informerFor(testPods);
    const reconciled: string[] = [];
    const controller = createController({
      primary: informer,
      clock,
      filter: generationChanged,
      resyncPeriodMs: 60_000,
      reconcile: (key) => {
        const metadata: FilterableObject['metadata'] = informer.store.getByKey(key)?.metadata;
        reconciled.push(`${key} generation ${metadata?.generation}`);
      },
    });
    const stop = new AbortController();
    const running = controller.run(stop.signal);
    factory.start(stop.signal);
    await settle(() => reconciled.length === 1);
    const watches = () => api.requests.filter((request) => request.query?.watch === 'true').length;
    await settle(() => watches() === 1);
    // A status write: the resourceVersion moves, the generation does not.
    const statusWritten = api.update(testPods, {
      ...created,
      metadata: generation(1),
      status: { phase: 'Running' },
    } as never);
    const resourceVersion = statusWritten.metadata?.resourceVersion;
    await settle(() => informer.store.getByKey('default/p1')?.metadata?.resourceVersion === resourceVersion);
    for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setTimeout(resolve, 0));
    expect([reconciled.length, controller.queue.length]).toEqual([1, 0]);
    // A spec write bumps the generation (the API server's rule, emulated here).
    api.update(testPods, { ...created, metadata: generation(2) });
    await settle(() => reconciled.length === 2);
    expect(reconciled).toEqual(['default/p1 generation 1', 'default/p1 generation 2']);
    clock.advance(60_000);
    await settle(() => reconciled.length === 3);
    expect(reconciled[2]).toBe('default/p1 generation 2');
    stop.abort();
    await running;
  });
});
