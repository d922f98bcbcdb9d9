// Core's in-memory API is test support, not part of core's published surface (core's `exports` and its
// `files: ["dist"]` leave `src/test-support` out), so it is imported from the sources by path: the
// conformance suite checks exactly the fake that core's own tests run against.

import { ManualClock } from '@kubeinformers/core';
import { InMemoryApi } from '../../../../packages/core/src/test-support/in-memory-api.js';
import { type ConfigMapInput, configMapOf, configMaps, type ListWatchDriver } from './list-watch-driver.js';

/** Core's in-memory API: it is a `Transport` itself, so requests never leave the process. */
export function startInMemoryApiDriver(): ListWatchDriver {
  const clock = new ManualClock();
  const api = new InMemoryApi(clock);
  return {
    name: 'in-memory API',
    transport: api,
    get resourceVersion() {
      return api.resourceVersion;
    },
    create: (input: ConfigMapInput) => api.create(configMaps, configMapOf(input)),
    update: (input: ConfigMapInput) => api.update(configMaps, configMapOf(input)),
    delete: (key: string) => api.delete(configMaps, key),
    compact: () => api.compact(),
    dropWatches: () => api.dropWatches(),
    sendBookmarks: () => api.bookmark(),
    setShardedListAndWatch: (enabled: boolean) => {
      api.shardedListAndWatch = enabled;
    },
    advanceTime: (milliseconds: number) => clock.advance(milliseconds),
    close: async () => api.dropWatches(),
  };
}
