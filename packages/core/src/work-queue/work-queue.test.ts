import { describe, expect, it } from 'vitest';
import { QueueShutDownError } from '../errors/queue-shut-down-error.js';
import { ManualClock } from '../time/manual-clock.js';
import { WorkQueue } from './work-queue.js';

describe('WorkQueue', () => {
  it('queues an item once while it waits, in first-added order', () => {
    const queue = new WorkQueue<string>({ clock: new ManualClock() });
    queue.add('a');
    queue.add('b');
    queue.add('a');
    expect(queue.length).toBe(2);
    expect([queue.tryGet(), queue.tryGet(), queue.tryGet()]).toEqual(['a', 'b', undefined]);
  });

  it('queues an item added during processing again only after done', () => {
    const queue = new WorkQueue<string>({ clock: new ManualClock() });
    queue.add('a');
    expect(queue.tryGet()).toBe('a');
    queue.add('a');
    queue.add('a');
    expect(queue.tryGet()).toBeUndefined();
    queue.done('a');
    expect(queue.tryGet()).toBe('a');
    queue.done('a');
    expect(queue.tryGet()).toBeUndefined();
  });

  it('hands items to waiting get() calls in call order', async () => {
    const queue = new WorkQueue<string>({ clock: new ManualClock() });
    const first = queue.get();
    const second = queue.get();
    queue.add('x');
    queue.add('y');
    await expect(first).resolves.toBe('x');
    await expect(second).resolves.toBe('y');
  });

  it('adds after a delay on the clock, keeping the earlier of two delays', () => {
    const clock = new ManualClock();
    const queue = new WorkQueue<string>({ clock });
    queue.addAfter('a', 100);
    queue.addAfter('a', 50);
    queue.addAfter('a', 500);
    queue.addAfter('b', 0);
    expect(queue.tryGet()).toBe('b');
    clock.advance(49);
    expect(queue.length).toBe(0);
    clock.advance(1);
    expect(queue.tryGet()).toBe('a');
    clock.advance(1000);
    expect(queue.length).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('retries with the rate limiter and forgets on success', () => {
    const clock = new ManualClock();
    const queue = new WorkQueue<string>({ clock });
    const releasedAt: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      queue.addRateLimited('a');
      clock.advance(queue.numRequeues('a') === 0 ? 0 : 10_000);
      releasedAt.push(clock.now());
      expect(queue.tryGet()).toBe('a');
      queue.done('a');
    }
    expect(queue.numRequeues('a')).toBe(4);
    queue.forget('a');
    expect(queue.numRequeues('a')).toBe(0);
  });

  it('on shutdown ignores adds, drops delayed items, hands out what is queued, then rejects', async () => {
    const clock = new ManualClock();
    const queue = new WorkQueue<string>({ clock, name: 'pods' });
    queue.add('a');
    queue.addAfter('late', 10);
    queue.shutDown();
    queue.add('b');
    clock.advance(100);
    await expect(queue.get()).resolves.toBe('a');
    const error = await queue.get().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueueShutDownError);
    expect(error).toMatchObject({ code: 'KI_QUEUE_SHUT_DOWN', queueName: 'pods' });
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects get() calls waiting when it shuts down, and async iteration ends', async () => {
    const queue = new WorkQueue<string>({ clock: new ManualClock() });
    const waiting = queue.get();
    queue.add('a');
    await expect(waiting).resolves.toBe('a');
    queue.done('a');
    const seen: string[] = [];
    const iteration = (async () => {
      for await (const item of queue) {
        seen.push(item);
        queue.done(item);
        if (item === 'c') queue.shutDown();
      }
    })();
    queue.add('b');
    await Promise.resolve();
    queue.add('c');
    await iteration;
    expect(seen).toEqual(['b', 'c']);
  });

  it('shutDownWithDrain waits for every item in progress', async () => {
    const queue = new WorkQueue<string>({ clock: new ManualClock() });
    queue.add('a');
    queue.add('b');
    queue.tryGet();
    queue.tryGet();
    let drained = false;
    const drain = queue.shutDownWithDrain().then(() => {
      drained = true;
    });
    queue.done('a');
    await Promise.resolve();
    expect(drained).toBe(false);
    queue.done('b');
    await drain;
    expect(drained).toBe(true);
  });

  it('reports depth, adds, latency, work duration, retries and unfinished work on its clock', () => {
    const clock = new ManualClock();
    const log: string[] = [];
    const queue = new WorkQueue<string>({
      clock,
      metrics: {
        depth: (depth) => log.push(`depth ${depth}`),
        added: (item) => log.push(`added ${item}`),
        queueLatency: (item, ms) => log.push(`latency ${item} ${ms}`),
        workDuration: (item, ms) => log.push(`work ${item} ${ms}`),
        retried: (item) => log.push(`retried ${item}`),
      },
    });
    queue.add('a');
    queue.add('b');
    clock.advance(30);
    queue.tryGet();
    clock.advance(20);
    queue.tryGet();
    clock.advance(5);
    expect(queue.unfinishedWork()).toEqual({ inProgress: 2, unfinishedMs: 25 + 5, longestRunningMs: 25 });
    queue.done('a');
    queue.addRateLimited('a');
    clock.advance(5);
    expect(log).toEqual([
      'added a',
      'depth 1',
      'added b',
      'depth 2',
      'latency a 30',
      'depth 1',
      'latency b 50',
      'depth 0',
      'work a 25',
      'retried a',
      'added a',
      'depth 1',
    ]);
  });
});
