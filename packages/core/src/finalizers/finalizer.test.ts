import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { WriteConflictError } from '../errors/write-conflict-error.js';
import type { FinalizableObject, FinalizerClient } from './finalizer.js';
import { finalizer } from './finalizer.js';

interface Stored {
  resourceVersion: number;
  finalizers: string[];
  deletionTimestamp?: string;
}

/**
 * One object with the API server's rules for finalizers: writes name the version they read (409
 * otherwise), a deleting object may not gain finalizers, and it goes away with its last one.
 */
class OneObjectServer implements FinalizerClient {
  stored: Stored | undefined = { resourceVersion: 1, finalizers: [] };
  writes: string[][] = [];
  /** Runs before the next write lands, as another controller racing us would. */
  beforeNextWrite: (() => void) | undefined;
  snapshot(): FinalizableObject {
    const stored = this.stored;
    if (stored === undefined) throw new Error('gone');
    return {
      metadata: {
        name: 'thing',
        namespace: 'default',
        resourceVersion: String(stored.resourceVersion),
        finalizers: [...stored.finalizers],
        ...(stored.deletionTimestamp === undefined ? {} : { deletionTimestamp: stored.deletionTimestamp }),
      },
    };
  }
  otherWrite(change: (stored: Stored) => void): void {
    if (this.stored === undefined) return;
    change(this.stored);
    this.stored.resourceVersion += 1;
    if (this.stored.deletionTimestamp !== undefined && this.stored.finalizers.length === 0) {
      this.stored = undefined;
    }
  }
  delete(): void {
    this.otherWrite((stored) => {
      stored.deletionTimestamp = '2026-12-07T00:00:00Z';
    });
  }
  async get(): Promise<FinalizableObject | undefined> {
    return this.stored === undefined ? undefined : this.snapshot();
  }
  async setFinalizers(object: FinalizableObject, finalizers: readonly string[]): Promise<void> {
    const racing = this.beforeNextWrite;
    this.beforeNextWrite = undefined;
    racing?.();
    if (this.stored === undefined) return;
    if (object.metadata?.resourceVersion !== String(this.stored.resourceVersion)) {
      throw new WriteConflictError('things/default/thing');
    }
    const added = finalizers.filter((name) => !this.stored?.finalizers.includes(name));
    if (this.stored.deletionTimestamp !== undefined && added.length > 0) throw new Error('422 forbidden');
    this.writes.push([...finalizers]);
    this.otherWrite((stored) => {
      stored.finalizers = [...finalizers];
    });
  }
}

const ours = 'example.com/cleanup';
const theirs = 'other.example.com/protect';

describe('finalizer', () => {
  it('adds our finalizer before apply runs, then applies without writing again', async () => {
    const server = new OneObjectServer();
    const order: string[] = [];
    const apply = () => {
      order.push(`apply with ${server.stored?.finalizers.join(',')}`);
      return 'applied';
    };
    const cleanup = () => 'cleaned';
    expect(await finalizer(server, ours, server.snapshot(), { apply, cleanup })).toBe('applied');
    expect(order).toEqual([`apply with ${ours}`]);
    expect(await finalizer(server, ours, server.snapshot(), { apply, cleanup })).toBe('applied');
    expect(server.writes).toEqual([[ours]]);
  });

  it("retries a conflict on a fresh read and keeps the other controller's finalizer", async () => {
    const server = new OneObjectServer();
    const stale = server.snapshot();
    server.beforeNextWrite = () => server.otherWrite((stored) => stored.finalizers.push(theirs));
    await finalizer(server, ours, stale, { apply: () => {}, cleanup: () => {} });
    expect(server.stored?.finalizers).toEqual([theirs, ours]);
  });

  it('cleans up once deleted, then removes only our finalizer; a failing cleanup keeps it', async () => {
    const server = new OneObjectServer();
    server.otherWrite((stored) => stored.finalizers.push(theirs, ours));
    server.delete();
    let attempts = 0;
    const handlers = {
      apply: () => 'applied',
      cleanup: () => {
        attempts += 1;
        if (attempts <= 2) throw new Error(`external system down (${attempts})`);
        return 'cleaned';
      },
    };
    await expect(finalizer(server, ours, server.snapshot(), handlers)).rejects.toThrow('(1)');
    await expect(finalizer(server, ours, server.snapshot(), handlers)).rejects.toThrow('(2)');
    expect(server.stored?.finalizers).toEqual([theirs, ours]);
    expect(await finalizer(server, ours, server.snapshot(), handlers)).toBe('cleaned');
    expect(server.stored?.finalizers).toEqual([theirs]);
    // Deleting without ours: nothing runs, nothing is written (ours is never added back).
    const writes = server.writes.length;
    expect(await finalizer(server, ours, server.snapshot(), handlers)).toBeUndefined();
    expect([attempts, server.writes.length]).toEqual([3, writes]);
    server.otherWrite((stored) => stored.finalizers.splice(0));
    expect(server.stored).toBeUndefined();
  });

  it('a removal that conflicts recomputes from the fresh list without cleaning up twice', async () => {
    const server = new OneObjectServer();
    server.otherWrite((stored) => stored.finalizers.push(ours));
    server.delete();
    let cleanups = 0;
    server.beforeNextWrite = () => server.otherWrite((stored) => stored.finalizers.unshift(theirs));
    // A deleting object may still lose finalizers; here the other controller's write races ours.
    await finalizer(server, ours, server.snapshot(), { apply: () => {}, cleanup: () => void cleanups++ });
    expect([cleanups, server.stored?.finalizers]).toEqual([1, [theirs]]);
    // The last finalizer's removal deletes the object.
    const single = new OneObjectServer();
    single.otherWrite((stored) => stored.finalizers.push(ours));
    single.delete();
    await finalizer(single, ours, single.snapshot(), { apply: () => {}, cleanup: () => {} });
    expect(single.stored).toBeUndefined();
  });

  it('gives up adding when a conflict shows the object being deleted, without applying', async () => {
    const server = new OneObjectServer();
    server.otherWrite((stored) => stored.finalizers.push(theirs));
    const stale = server.snapshot();
    server.beforeNextWrite = () => server.delete();
    let applied = false;
    const result = await finalizer(server, ours, stale, {
      apply: () => {
        applied = true;
      },
      cleanup: () => {},
    });
    expect([result, applied, server.stored?.finalizers]).toEqual([undefined, false, [theirs]]);
  });

  it('lets WriteConflictError through after conflictRetries conflicts, and refuses a bad name', async () => {
    const server = new OneObjectServer();
    const alwaysRacing: FinalizerClient = {
      get: () => server.get(),
      setFinalizers: async (object, finalizers) => {
        server.otherWrite(() => {});
        await server.setFinalizers(object, finalizers);
      },
    };
    await expect(
      finalizer(
        alwaysRacing,
        ours,
        server.snapshot(),
        { apply: () => {}, cleanup: () => {} },
        { conflictRetries: 2 },
      ),
    ).rejects.toBeInstanceOf(WriteConflictError);
    await expect(
      finalizer(server, 'no-domain', server.snapshot(), { apply: () => {}, cleanup: () => {} }),
    ).rejects.toBeInstanceOf(InvalidOptionError);
  });

  it('writes nothing once the signal aborted', async () => {
    const server = new OneObjectServer();
    const stop = new AbortController();
    stop.abort(new Error('leadership lost'));
    await expect(
      finalizer(
        server,
        ours,
        server.snapshot(),
        { apply: () => {}, cleanup: () => {} },
        { signal: stop.signal },
      ),
    ).rejects.toThrow('leadership lost');
    expect(server.writes).toEqual([]);
  });
});
