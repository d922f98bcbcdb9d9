import type { KubeObject, Store } from '@kubeinformers/core';
import { useSyncExternalStoreWithSelector } from 'use-sync-external-store/with-selector';
import type { InformerDefinition } from './informer-definition.js';
import { type InformerHealth, idleHealth } from './informer-health.js';
import { useInformerClient } from './informer-provider.js';
import type { SourceSnapshot } from './informer-source.js';

/** What a selector reads: the informer's read-only store and its health. */
export interface InformerView<T extends KubeObject, I extends string> {
  readonly store: Store<T, I>;
  readonly health: InformerHealth;
}

// On the server and during hydration every hook reads this: unsynced, empty, and nothing connected.
const serverSnapshot: SourceSnapshot = Object.freeze({
  version: -1,
  health: idleHealth,
});

/**
 * The general hook: `select` derives a value from the informer's store and health, and the component
 * re-renders only when that value changes by `isEqual` (default `Object.is`; see `shallowEqual` for
 * arrays). `select` runs once per batch of changes (one per animation frame by default), not per event;
 * keep it stable (`useCallback`) or it also reruns on every render. On the server, and before the
 * component is mounted, it sees `isServer: true` and must return the unsynced value: the hooks built on
 * this return empty results then.
 *
 * The first component using `definition` starts its informer; the last one unmounting stops it.
 */
export function useInformerSelector<T extends KubeObject, I extends string, R>(
  definition: InformerDefinition<T, I>,
  select: (view: InformerView<T, I>, context: { readonly isServer: boolean }) => R,
  isEqual?: (previous: R, next: R) => boolean,
): R {
  const source = useInformerClient().source(definition);
  return useSyncExternalStoreWithSelector(
    source.subscribe,
    source.getSnapshot,
    () => serverSnapshot,
    (snapshot) =>
      select(
        { store: source.informer.store, health: snapshot.health },
        { isServer: snapshot === serverSnapshot },
      ),
    isEqual,
  );
}

/** Equal when both arrays hold the same elements by identity, in order: the store's objects are immutable. */
export function shallowEqual<E>(previous: readonly E[], next: readonly E[]): boolean {
  if (previous === next) return true;
  if (previous.length !== next.length) return false;
  for (let index = 0; index < previous.length; index += 1) {
    if (!Object.is(previous[index], next[index])) return false;
  }
  return true;
}
