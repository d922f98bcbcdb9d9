import { afterEach, describe, expect, it } from 'vitest';
import { FakeApiServer } from '../fake-api-server.js';
import { call, type WatchEvent, WatchStream } from '../test-support/http-client.js';

// Randomized invariants: whatever sequence of writes happens, (1) a list followed by its watch
// reconstructs exactly what a fresh list returns, selectors included, and (2) an exact list at an old
// resourceVersion, paginated across writes, returns the state at that version.

let server: FakeApiServer;
const streams: WatchStream[] = [];
afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close();
  await server?.close();
});

/** A small deterministic generator (mulberry32), so a failure reproduces from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

function randomWrites(count: number, next: () => number): void {
  const names = Array.from({ length: 12 }, (_, index) => `c${index}`);
  const colors = ['red', 'green', 'blue'];
  for (let step = 0; step < count; step += 1) {
    const name = names[Math.floor(next() * names.length)]!;
    const color = colors[Math.floor(next() * colors.length)]!;
    const existing = server.store.get('configmaps', `default/${name}`);
    const roll = next();
    if (existing === undefined) {
      server.store.create('configmaps', {
        metadata: { name, labels: { color } },
        data: { step: String(step) },
      });
    } else if (roll < 0.2) {
      server.store.delete('configmaps', `default/${name}`);
    } else if (roll < 0.6) {
      server.store.patch('configmaps', `default/${name}`, { metadata: { labels: { color } } });
    } else {
      server.store.patch('configmaps', `default/${name}`, { data: { step: String(step) } });
    }
  }
}

const url = () => `${server.url}/api/v1/namespaces/default/configmaps`;
type Item = { metadata: { name: string; resourceVersion: string } };

describe('randomized invariants', () => {
  for (const seed of [1, 7, 42]) {
    it(`list + watch with a selector converges on the fresh list (seed ${seed})`, async () => {
      server = await FakeApiServer.start({ watchHistorySize: 10_000 });
      const next = random(seed);
      randomWrites(40, next);
      const selector = 'labelSelector=color+in+(red,blue)';
      const initial = (await call(`${url()}?${selector}&limit=3`)).json;
      const mirror = new Map<string, string>(
        initial.items.map((item: Item) => [item.metadata.name, item.metadata.resourceVersion]),
      );
      let continueToken: string | undefined = initial.metadata.continue;
      while (continueToken !== undefined) {
        randomWrites(5, next); // writes between pages must not leak into the snapshot
        const page = (await call(`${url()}?${selector}&limit=3&continue=${continueToken}`)).json;
        for (const item of page.items as Item[])
          mirror.set(item.metadata.name, item.metadata.resourceVersion);
        continueToken = page.metadata.continue;
      }
      const stream = await WatchStream.open(
        `${url()}?watch=1&${selector}&allowWatchBookmarks=true&resourceVersion=${initial.metadata.resourceVersion}`,
      );
      streams.push(stream);
      randomWrites(300, next);
      server.watches.sendBookmarks();
      const final = server.resourceVersion;
      for (let event: WatchEvent = await stream.next(); ; event = await stream.next()) {
        if (event.type === 'BOOKMARK') {
          if (event.object.metadata.resourceVersion === final) break;
          continue;
        }
        if (event.type === 'DELETED') {
          expect(mirror.has(event.object.metadata.name)).toBe(true);
          mirror.delete(event.object.metadata.name);
        } else {
          expect(mirror.has(event.object.metadata.name)).toBe(event.type === 'MODIFIED');
          mirror.set(event.object.metadata.name, event.object.metadata.resourceVersion);
        }
      }
      const fresh = (await call(`${url()}?${selector}`)).json.items as Item[];
      expect([...mirror].sort()).toEqual(
        fresh.map((item) => [item.metadata.name, item.metadata.resourceVersion]).sort(),
      );
    });
  }

  it('an exact list at an old resourceVersion returns that state, page after page', async () => {
    server = await FakeApiServer.start();
    const next = random(99);
    randomWrites(60, next);
    const snapshot = (await call(url())).json;
    const expected = (snapshot.items as Item[]).map((item) => [
      item.metadata.name,
      item.metadata.resourceVersion,
    ]);
    randomWrites(100, next);
    const pages: Item[] = [];
    let page = (
      await call(
        `${url()}?resourceVersion=${snapshot.metadata.resourceVersion}&resourceVersionMatch=Exact&limit=4`,
      )
    ).json;
    pages.push(...page.items);
    while (page.metadata.continue !== undefined) {
      randomWrites(10, next);
      page = (await call(`${url()}?limit=4&continue=${page.metadata.continue}`)).json;
      expect(page.metadata.resourceVersion).toBe(snapshot.metadata.resourceVersion);
      pages.push(...page.items);
    }
    expect(pages.map((item) => [item.metadata.name, item.metadata.resourceVersion])).toEqual(expected);
  });
});
