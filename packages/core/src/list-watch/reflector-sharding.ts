import type { ShardedObject } from '../sharding/shard-selector.js';
import { isInShard, keepInShard, type ShardTarget } from '../sharding/shard-target.js';
import type { HealthRecorder } from './health-recorder.js';
import type { ListPage } from './requests/list-page-fetch.js';

/**
 * How a reflector follows its shard target: it drops objects outside the ranges whatever the server
 * did (the fallback for a server without the feature), records who filtered them, and notices a new
 * selector, after which what is in flight was asked for with the old one and the loop relists.
 */
export class ReflectorSharding {
  /** The shard selector changed: what is in flight was asked for with the old one. */
  retargeted = false;

  constructor(
    private readonly target: ShardTarget | undefined,
    private readonly health: HealthRecorder,
  ) {}

  /** Calls `onRetarget` at every change of selector; returns the remover (none without a target). */
  follow(onRetarget: () => void): (() => void) | undefined {
    return this.target?.onChange(() => {
      this.retargeted = true;
      onRetarget();
    });
  }

  /** The page's items in the shard (in place). */
  pageItems<T extends ShardedObject>(page: ListPage<T>): T[] {
    return keepInShard(this.target, page.items);
  }

  /** A list page arrived; a server without the ShardedListAndWatch feature ignores the parameter and echoes no shardInfo. */
  pageReceived(page: ListPage<unknown>): void {
    if (this.target !== undefined) this.health.sharding(page.sharded ? 'server' : 'client');
  }

  /** A streaming list carries no shardInfo: the server never confirms it filtered one. */
  streamingListOpened(): void {
    if (this.target !== undefined) this.health.sharding('client');
  }

  /**
   * Uids and namespaces never change, so an object outside the ranges never enters them: its events are
   * dropped whole, as a server applying the selector never sends them.
   */
  admits(object: ShardedObject): boolean {
    return isInShard(this.target, object);
  }

  /** A snapshot was stored; it is the target's unless a handler of it changed the selector again. */
  snapshotStored(): void {
    if (!this.retargeted) this.target?.applied();
  }
}
