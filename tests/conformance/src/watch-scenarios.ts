import { expect } from 'vitest';
import { asList, keys, type ListWatchScenario, scenario, sequence } from './list-watch-scenario.js';
import type { NormalizedEvent } from './test-support/normalized-response.js';
import { accepts } from './test-support/scenario-session.js';

/** Watches: replay, synthetic adds, expiry, selectors, bookmarks, flags, metadata-only, streaming lists, their ends. */
export const watchScenarios: readonly ListWatchScenario[] = [
  scenario(
    'a watch from a resourceVersion replays the later changes in order, then live ones',
    async (session) => {
      const from = session.create({ name: 'a' });
      session.create({ name: 'b', data: { state: 'last' } });
      session.update({ name: 'a', data: { state: 'changed' } });
      session.delete('default/b');
      const watch = await session.watch({ query: { resourceVersion: from } });
      const replayed = await watch.next(3);
      session.create({ name: 'c' });
      return { status: watch.status, contentType: watch.contentType, replayed, live: await watch.next(1) };
    },
    ({ status, contentType, replayed, live }) => {
      expect({ status, contentType }).toEqual({ status: 200, contentType: 'application/json' });
      expect(sequence([...replayed, ...live])).toEqual([
        ['ADDED', 'default/b', 'write 2'],
        ['MODIFIED', 'default/a', 'write 3'],
        ['DELETED', 'default/b', 'write 4'],
        ['ADDED', 'default/c', 'write 5'],
      ]);
      // DELETED carries the object's last state; watch objects carry their kind.
      expect(replayed[2]).toMatchObject({
        object: { data: { state: 'last' }, kind: 'ConfigMap', apiVersion: 'v1' },
      });
    },
  ),

  scenario(
    'a watch from "0", unset or spelled watch=1 sends a synthetic ADDED per object first',
    async (session) => {
      session.create({ name: 'b' });
      session.create({ name: 'a' });
      const outcome: Record<string, NormalizedEvent[]> = {};
      const variants: Record<string, Record<string, string>> = {
        fromZero: { resourceVersion: '0' },
        unset: {},
        watchOne: { watch: '1' },
      };
      for (const [variant, query] of Object.entries(variants)) {
        const watch = await session.watch({ query });
        const initial = await watch.next(2);
        session.update({ name: 'a', data: { variant } });
        outcome[variant] = [...initial, ...(await watch.next(1))];
      }
      return outcome;
    },
    (outcome) => {
      expect(Object.values(outcome).map(sequence)).toEqual([
        [
          ['ADDED', 'default/a', 'write 2'],
          ['ADDED', 'default/b', 'write 1'],
          ['MODIFIED', 'default/a', 'write 3'],
        ],
        [
          ['ADDED', 'default/a', 'write 3'],
          ['ADDED', 'default/b', 'write 1'],
          ['MODIFIED', 'default/a', 'write 4'],
        ],
        [
          ['ADDED', 'default/a', 'write 4'],
          ['ADDED', 'default/b', 'write 1'],
          ['MODIFIED', 'default/a', 'write 5'],
        ],
      ]);
    },
  ),

  scenario(
    'a watch from a compacted resourceVersion gets HTTP 200 and one ERROR event (410 Expired), then the end',
    async (session) => {
      const oldest = session.create({ name: 'a' });
      const older = session.update({ name: 'a', data: { step: '2' } });
      const compactedAt = session.update({ name: 'a', data: { step: '3' } });
      session.compact();
      const outcome: Record<string, unknown> = {};
      for (const [name, resourceVersion] of Object.entries({ oldest, older })) {
        const watch = await session.watch({ query: { resourceVersion } });
        outcome[name] = { status: watch.status, contentType: watch.contentType, events: await watch.rest() };
      }
      // A streaming list is "not older than" its version: no expiry, the current state instead.
      const streaming = await session.watch({
        query: {
          resourceVersion: oldest,
          sendInitialEvents: 'true',
          resourceVersionMatch: 'NotOlderThan',
          allowWatchBookmarks: 'true',
        },
      });
      outcome.streamingFromOldest = await streaming.next(2);
      // The compacted revision itself is still there to watch from (etcd keeps it readable).
      const atCompaction = await session.watch({ query: { resourceVersion: compactedAt } });
      session.update({ name: 'a', data: { step: '4' } });
      outcome.atCompaction = await atCompaction.next(1);
      return outcome as {
        oldest: { status: number; contentType: string; events: NormalizedEvent[] };
        older: { status: number; contentType: string; events: NormalizedEvent[] };
        streamingFromOldest: NormalizedEvent[];
        atCompaction: NormalizedEvent[];
      };
    },
    ({ oldest, older, streamingFromOldest, atCompaction }) => {
      for (const expired of [oldest, older]) {
        expect(expired).toEqual({
          status: 200,
          contentType: 'application/json',
          events: [
            {
              type: 'ERROR',
              status: {
                kind: 'Status',
                code: 410,
                reason: 'Expired',
                messagePattern: 'too old resource version: N (N)',
                continues: false,
              },
            },
          ],
        });
      }
      expect(sequence(streamingFromOldest)).toEqual([
        ['ADDED', 'default/a', 'write 3'],
        ['BOOKMARK', 'write 3'],
      ]);
      expect(sequence(atCompaction)).toEqual([['MODIFIED', 'default/a', 'write 4']]);
    },
  ),

  scenario(
    'a labelled watch sees an object entering the selector as ADDED and leaving it as DELETED',
    async (session) => {
      session.create({ name: 'web-1', labels: { app: 'web' } });
      const from = session.create({ name: 'db-1', labels: { app: 'db' } });
      const watch = await session.watch({ query: { labelSelector: 'app=web', resourceVersion: from } });
      session.update({ name: 'db-1', labels: { app: 'web' } });
      session.update({ name: 'web-1', labels: { app: 'db' } });
      session.update({ name: 'web-1', labels: { app: 'db' }, data: { outside: 'the selector' } });
      session.delete('default/db-1');
      // The last write matches: everything between it and the first one must have arrived before it.
      session.create({ name: 'sentinel', labels: { app: 'web' } });
      return watch.next(4);
    },
    (events) => {
      expect(sequence(events)).toEqual([
        ['ADDED', 'default/db-1', 'write 3'],
        ['DELETED', 'default/web-1', 'write 4'],
        ['DELETED', 'default/db-1', 'write 6'],
        ['ADDED', 'default/sentinel', 'write 7'],
      ]);
      // Leaving the selector: the last state that matched, at the version of the change that left.
      expect(events[1]).toMatchObject({ object: { labels: { app: 'web' } } });
    },
  ),

  scenario(
    'bookmarks go only to watches that allowed them, and carry nothing but the version',
    async (session) => {
      const from = session.create({ name: 'a' });
      const allowed = await session.watch({ query: { resourceVersion: from, allowWatchBookmarks: 'true' } });
      const plain = await session.watch({ query: { resourceVersion: from } });
      session.sendBookmarks();
      session.create({ name: 'b' });
      return { allowed: await allowed.next(2), plain: await plain.next(1) };
    },
    ({ allowed, plain }) => {
      expect(allowed[0]).toEqual({
        type: 'BOOKMARK',
        kind: 'ConfigMap',
        apiVersion: 'v1',
        resourceVersion: 'write 1',
        metadataFields: ['resourceVersion'],
      });
      expect(sequence(allowed.slice(1))).toEqual([['ADDED', 'default/b', 'write 2']]);
      expect(sequence(plain)).toEqual([['ADDED', 'default/b', 'write 2']]);
    },
  ),

  scenario(
    'boolean parameters read as the API server reads them: anything but 0 or false (any case) is true',
    async (session) => {
      const from = session.create({ name: 'a' });
      // The official Python client sends `watch=True`.
      const bookmarked = await session.watch({
        query: { watch: 'True', allowWatchBookmarks: '1', resourceVersion: from },
      });
      const withoutInitialEvents = await session.watch({
        query: { watch: 'TRUE', sendInitialEvents: 'false' },
      });
      const notBookmarked = await session.watch({
        query: { allowWatchBookmarks: 'False', resourceVersion: from },
      });
      session.sendBookmarks();
      session.create({ name: 'b' });
      return {
        bookmarked: await bookmarked.next(2),
        withoutInitialEvents: await withoutInitialEvents.next(1),
        notBookmarked: await notBookmarked.next(1),
        watchFalse: (await session.list({ query: { watch: 'false' } })).outcome,
        watchZero: (await session.list({ query: { watch: '0' } })).outcome,
      };
    },
    ({ bookmarked, withoutInitialEvents, notBookmarked, watchFalse, watchZero }) => {
      expect(sequence(bookmarked)).toEqual([
        ['BOOKMARK', 'write 1'],
        ['ADDED', 'default/b', 'write 2'],
      ]);
      // sendInitialEvents=false: a watch from the current state without the synthetic ADDED events.
      expect(sequence(withoutInitialEvents)).toEqual([['ADDED', 'default/b', 'write 2']]);
      expect(sequence(notBookmarked)).toEqual([['ADDED', 'default/b', 'write 2']]);
      for (const list of [watchFalse, watchZero])
        expect(keys(asList(list).items)).toEqual(['default/a', 'default/b']);
    },
  ),

  scenario(
    'metadata-only lists and watches (as=PartialObjectMetadataList / as=PartialObjectMetadata)',
    async (session) => {
      session.create({ name: 'a', labels: { app: 'web' }, data: { large: 'payload' } });
      const list = await session.list({ accept: accepts.metadataOnlyList });
      const watch = await session.watch({ accept: accepts.metadataOnlyObject });
      const initial = await watch.next(1);
      session.update({ name: 'a', labels: { app: 'db' }, data: { large: 'changed' } });
      return { list: list.outcome, events: [...initial, ...(await watch.next(1))] };
    },
    ({ list, events }) => {
      const metadataOnly = {
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        fields: ['apiVersion', 'kind', 'metadata'],
      };
      expect(list).toMatchObject({
        status: 200,
        kind: 'PartialObjectMetadataList',
        apiVersion: 'meta.k8s.io/v1',
      });
      expect(asList(list).items).toEqual([
        { key: 'default/a', resourceVersion: 'write 1', labels: { app: 'web' }, ...metadataOnly },
      ]);
      expect(events).toEqual([
        {
          type: 'ADDED',
          object: { key: 'default/a', resourceVersion: 'write 1', labels: { app: 'web' }, ...metadataOnly },
        },
        {
          type: 'MODIFIED',
          object: { key: 'default/a', resourceVersion: 'write 2', labels: { app: 'db' }, ...metadataOnly },
        },
      ]);
    },
  ),

  scenario(
    'a streaming list (sendInitialEvents) ends its initial events with the initial-events-end bookmark',
    async (session) => {
      session.create({ name: 'b' });
      session.create({ name: 'a' });
      const streaming = {
        sendInitialEvents: 'true',
        resourceVersionMatch: 'NotOlderThan',
        allowWatchBookmarks: 'true',
      };
      const watch = await session.watch({ query: streaming });
      const initial = await watch.next(3);
      session.update({ name: 'a', data: { live: 'change' } });
      const live = await watch.next(1);
      const { resourceVersionMatch: _match, ...withoutMatch } = streaming;
      const { allowWatchBookmarks: _bookmarks, ...withoutBookmarks } = streaming;
      return {
        initial,
        live,
        withoutMatch: (await session.watch({ query: withoutMatch })).refusal,
        withoutBookmarks: (await session.watch({ query: withoutBookmarks })).refusal,
      };
    },
    ({ initial, live, withoutMatch, withoutBookmarks }) => {
      expect(sequence([...initial, ...live])).toEqual([
        ['ADDED', 'default/a', 'write 2'],
        ['ADDED', 'default/b', 'write 1'],
        ['BOOKMARK', 'write 2'],
        ['MODIFIED', 'default/a', 'write 3'],
      ]);
      expect(initial[2]).toMatchObject({
        annotations: { 'k8s.io/initial-events-end': 'true' },
        metadataFields: ['annotations', 'resourceVersion'],
      });
      for (const refusal of [withoutMatch, withoutBookmarks])
        expect(refusal).toMatchObject({ status: 422, kind: 'Status', code: 422, reason: 'Invalid' });
    },
  ),

  scenario(
    'a watch ends cleanly when its timeoutSeconds pass, not before',
    async (session) => {
      session.create({ name: 'a' });
      const watch = await session.watch({ query: { timeoutSeconds: '30' } });
      const initial = await watch.next(1);
      session.advanceTime(29_999);
      session.create({ name: 'b' });
      const beforeTimeout = await watch.next(1);
      session.advanceTime(1);
      return { events: [...initial, ...beforeTimeout], afterTimeout: await watch.rest() };
    },
    ({ events, afterTimeout }) => {
      expect(sequence(events)).toEqual([
        ['ADDED', 'default/a', 'write 1'],
        ['ADDED', 'default/b', 'write 2'],
      ]);
      expect(afterTimeout).toEqual([]);
    },
  ),

  scenario(
    'dropping the watches ends each stream cleanly after what it already delivered',
    async (session) => {
      const watch = await session.watch();
      session.create({ name: 'a' });
      const delivered = await watch.next(1);
      session.dropWatches();
      return { delivered, afterDrop: await watch.rest() };
    },
    ({ delivered, afterDrop }) => {
      expect(sequence(delivered)).toEqual([['ADDED', 'default/a', 'write 1']]);
      expect(afterDrop).toEqual([]);
    },
  ),
];
