import type { KubeObject } from '@kubeinformers/core';
import { useSyncExternalStore } from 'react';
import type { ConnectionHealth } from './informer-client.js';
import type { InformerDefinition } from './informer-definition.js';
import type { InformerHealth } from './informer-health.js';
import { useInformerClient } from './informer-provider.js';
import { useInformerSelector } from './use-informer-selector.js';

const selectHealth = (view: { readonly health: InformerHealth }) => view.health;

/**
 * Sync and health of one informer (`phase`, `synced`, failures, last event time). Using it also keeps
 * the informer running, like any hook on the definition. `{ phase: 'idle', synced: false }` on the server.
 */
export function useInformerHealth<T extends KubeObject, I extends string>(
  definition: InformerDefinition<T, I>,
): InformerHealth {
  return useInformerSelector(definition, selectHealth);
}

/** True once the informer's cache holds a complete list; false on the server. */
export function useInformerSynced<T extends KubeObject, I extends string>(
  definition: InformerDefinition<T, I>,
): boolean {
  return useInformerHealth(definition).synced;
}

const idleConnection: ConnectionHealth = Object.freeze({
  phase: 'idle',
  activeInformers: 0,
  lastError: undefined,
});

/**
 * The health of everything the provider's informers are connected to, for an indicator: `recovering`
 * while any informer is, with the last error survived. Does not start any informer.
 */
export function useConnectionHealth(): ConnectionHealth {
  const client = useInformerClient();
  return useSyncExternalStore(client.subscribeConnection, client.getConnection, () => idleConnection);
}
