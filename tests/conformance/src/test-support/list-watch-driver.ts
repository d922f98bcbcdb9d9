import type { KubeObject, Transport } from '@kubeinformers/core';
import { defineResource } from '@kubeinformers/core';

/** The resource every scenario works on: namespaced, in the core group, with no validation to satisfy. */
export const configMaps = defineResource<ConfigMap>({
  group: '',
  version: 'v1',
  resource: 'configmaps',
  kind: 'ConfigMap',
  namespaced: true,
});

export interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

/** What a scenario writes: a config map by namespace (default `default`), name, labels and data. */
export interface ConfigMapInput {
  readonly namespace?: string;
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly data?: Readonly<Record<string, string>>;
}

/**
 * One list/watch fake behind a common face, so that a scenario is written once and run against each:
 * writes go through the fake's in-process API, reads through its `Transport` as a client's would.
 */
export interface ListWatchDriver {
  readonly name: string;
  /** Where the scenario's list and watch requests go. */
  readonly transport: Transport;
  /** The cluster-wide resourceVersion now. */
  readonly resourceVersion: string;
  /** Each write returns the object as stored, with its new `metadata.resourceVersion`. */
  create(object: ConfigMapInput): ConfigMap;
  update(object: ConfigMapInput): ConfigMap;
  delete(key: string): ConfigMap;
  /** Drops the event history at the current version: older versions and their continue tokens expire. */
  compact(): void;
  /** Ends every open watch cleanly, as a server-side timeout would. */
  dropWatches(): void;
  /** A BOOKMARK now on every open watch that allowed bookmarks. */
  sendBookmarks(): void;
  /** Turns the `ShardedListAndWatch` feature gate on or off (on at the start). */
  setShardedListAndWatch(enabled: boolean): void;
  /** Moves the fake's clock on (watch timeouts); nothing else in a scenario depends on time. */
  advanceTime(milliseconds: number): void;
  /** Releases connections and the server; idempotent. */
  close(): Promise<void>;
}

/** The object a driver stores for `input`: a config map with only what the scenario said. */
export function configMapOf(input: ConfigMapInput): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      namespace: input.namespace ?? 'default',
      name: input.name,
      ...(input.labels && { labels: { ...input.labels } }),
    },
    ...(input.data && { data: { ...input.data } }),
  };
}
