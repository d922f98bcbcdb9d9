/**
 * The memory floor of a cache of text: a `Map` of each listed item's flat JSON text (pruned when the case
 * prunes), built page by page (500 a page, as the informers list). Its peak RSS growth ÷ retained heap is
 * what V8 itself gives such a cache, before any informer does anything.
 */
import type { CaseConfig, Metrics } from './case-support.js';
import { getBody } from './http-get.js';
import { measureSync } from './sync-measurement.js';

interface ListedPod {
  metadata: { namespace: string; name: string; managedFields?: unknown };
}

function textCache(config: CaseConfig) {
  const cache = new Map<string, string>();
  return {
    sync: async () => {
      let continueToken = '';
      do {
        const query = `limit=500${continueToken === '' ? '' : `&continue=${encodeURIComponent(continueToken)}`}`;
        const page = JSON.parse((await getBody(`${config.url}/api/v1/pods?${query}`)).toString('utf8')) as {
          metadata: { continue?: string };
          items: ListedPod[];
        };
        for (const item of page.items) {
          if (config.transform === 'prune') delete item.metadata.managedFields;
          cache.set(`${item.metadata.namespace}/${item.metadata.name}`, JSON.stringify(item));
        }
        continueToken = page.metadata.continue ?? '';
      } while (continueToken !== '');
    },
    size: () => cache.size,
    stop: async () => {},
  };
}

/** Measured in a fresh heap (first in its process), as every informer's sync is. */
export async function measureTextCacheFloor(config: CaseConfig): Promise<Metrics> {
  const measured = await measureSync(config, () => textCache(config));
  return {
    textCacheRssGrowthBytes: measured.rssGrowthBytes as number,
    textCacheRetainedHeapBytes: measured.retainedHeapBytes as number,
  };
}
