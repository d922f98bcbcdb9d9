import { expect } from 'vitest';
import type {
  NormalizedEvent,
  NormalizedList,
  NormalizedObject,
  NormalizedStatus,
} from './test-support/normalized-response.js';
import { accepts, type ScenarioSession } from './test-support/scenario-session.js';

/**
 * One list/watch scenario, written once: `run` drives a fake through a session and returns the
 * normalized outcome (which every fake must produce identically); `check` asserts on that outcome the
 * protocol facts of /work/shared/protocol.md's kind — what the real API server does — so two fakes that
 * drifted the same wrong way still fail.
 */
export interface ListWatchScenario {
  readonly name: string;
  run(session: ScenarioSession): Promise<unknown>;
  check(outcome: unknown): void;
}

function scenario<Outcome>(
  name: string,
  run: (session: ScenarioSession) => Promise<Outcome>,
  check: (outcome: Outcome) => void,
): ListWatchScenario {
  return { name, run, check: (outcome) => check(outcome as Outcome) };
}

function asList(outcome: NormalizedList | NormalizedStatus): NormalizedList {
  if (!('items' in outcome)) throw new Error(`expected a list, got ${JSON.stringify(outcome)}`);
  return outcome;
}

const keys = (objects: readonly NormalizedObject[]): string[] => objects.map((object) => object.key);

/** `[type, key, version]` of object events, `[BOOKMARK, version]`, `[ERROR, code, reason]`: the sequence. */
function sequence(events: readonly NormalizedEvent[]): string[][] {
  return events.map((event) => {
    if (event.type === 'BOOKMARK') return [event.type, event.resourceVersion];
    if (event.type === 'ERROR') return [event.type, String(event.status.code), event.status.reason];
    return [event.type, event.object.key, event.object.resourceVersion];
  });
}

export const listWatchScenarios: readonly ListWatchScenario[] = [
  scenario(
    'a paginated list is one snapshot: the same resourceVersion on every page, no continue on the last',
    async (session) => {
      for (const name of ['c', 'a', 'e', 'b', 'd']) session.create({ name, data: { version: 'first' } });
      let page = await session.list({ query: { limit: '2' } });
      const pages = [page.outcome];
      // Written after the first page: a later page must still show the first page's snapshot.
      session.create({ name: 'aa' });
      session.update({ name: 'e', data: { version: 'second' } });
      while (page.continueToken !== undefined && pages.length < 5) {
        page = await session.list({ query: { limit: '2', continue: page.continueToken } });
        pages.push(page.outcome);
      }
      return { pages };
    },
    ({ pages }) => {
      const lists = pages.map(asList);
      expect(lists.map((list) => keys(list.items))).toEqual([
        ['default/a', 'default/b'],
        ['default/c', 'default/d'],
        ['default/e'],
      ]);
      expect(lists.map((list) => list.resourceVersion)).toEqual(['write 5', 'write 5', 'write 5']);
      expect(lists.map((list) => list.continues)).toEqual([true, true, false]);
      expect(lists.map((list) => list.remainingItemCount)).toEqual([3, 1, undefined]);
      expect(lists[2]?.items[0]).toMatchObject({ data: { version: 'first' }, resourceVersion: 'write 3' });
      expect(lists.every((list) => list.kind === 'ConfigMapList' && list.apiVersion === 'v1')).toBe(true);
    },
  ),

  scenario(
    'label and field selectors (metadata.namespace, metadata.name) filter lists',
    async (session) => {
      session.create({ name: 'web-1', labels: { app: 'web', tier: 'front' } });
      session.create({ name: 'db-1', labels: { app: 'db' } });
      session.create({ name: 'plain' });
      session.create({ namespace: 'kube-system', name: 'web-2', labels: { app: 'web' } });
      session.create({ namespace: 'kube-system', name: 'cache', labels: { app: 'cache', tier: 'back' } });
      const selections: Record<string, { namespace?: string; query: Record<string, string> }> = {
        equality: { query: { labelSelector: 'app=web' } },
        inequality: { query: { labelSelector: 'app!=web' } },
        setAndAbsence: { query: { labelSelector: 'app in (web,db),!tier' } },
        namespaceField: { query: { fieldSelector: 'metadata.namespace=kube-system' } },
        nameField: { query: { fieldSelector: 'metadata.name=web-1' } },
        fieldsCombined: { query: { fieldSelector: 'metadata.namespace=default,metadata.name!=plain' } },
        labelAndField: { query: { labelSelector: 'app=web', fieldSelector: 'metadata.namespace=default' } },
        namespacePath: { namespace: 'kube-system', query: { labelSelector: 'app=web' } },
        paginatedWithSelector: { query: { labelSelector: 'tier', limit: '1' } },
      };
      const lists: Record<string, NormalizedList> = {};
      for (const [name, selection] of Object.entries(selections))
        lists[name] = asList((await session.list(selection)).outcome);
      return lists;
    },
    (lists) => {
      expect(
        Object.fromEntries(Object.entries(lists).map(([name, list]) => [name, keys(list.items)])),
      ).toEqual({
        equality: ['default/web-1', 'kube-system/web-2'],
        inequality: ['default/db-1', 'default/plain', 'kube-system/cache'],
        setAndAbsence: ['default/db-1', 'kube-system/web-2'],
        namespaceField: ['kube-system/cache', 'kube-system/web-2'],
        nameField: ['default/web-1'],
        fieldsCombined: ['default/db-1', 'default/web-1'],
        labelAndField: ['default/web-1'],
        namespacePath: ['kube-system/web-2'],
        paginatedWithSelector: ['default/web-1'],
      });
      // With selectors the server cannot count what is left cheaply: no remainingItemCount.
      expect(lists.paginatedWithSelector).toMatchObject({ continues: true });
      expect(lists.paginatedWithSelector?.remainingItemCount).toBeUndefined();
    },
  ),

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
    'an expired continue token is HTTP 410 Expired with a fresh token that continues over the latest state',
    async (session) => {
      for (const name of ['a', 'b', 'c']) session.create({ name });
      const first = await session.list({ query: { limit: '1' } });
      // Compaction at the current revision leaves the snapshot of that revision readable.
      session.compact();
      const sameRevision = await session.list({ query: { limit: '1', continue: first.continueToken ?? '' } });
      const second = await session.list({ query: { limit: '1' } });
      session.update({ name: 'c', data: { after: 'snapshot' } });
      session.compact();
      const expired = await session.list({ query: { limit: '1', continue: second.continueToken ?? '' } });
      const resumed = await session.list({ query: { continue: expired.continueToken ?? '' } });
      return {
        sameRevision: sameRevision.outcome,
        expired: expired.outcome,
        resumed: resumed.outcome,
      };
    },
    ({ sameRevision, expired, resumed }) => {
      expect(keys(asList(sameRevision).items)).toEqual(['default/b']);
      expect(expired).toMatchObject({
        status: 410,
        kind: 'Status',
        code: 410,
        reason: 'Expired',
        continues: true,
      });
      const rest = asList(resumed);
      expect(rest.items.map((item) => [item.key, item.resourceVersion])).toEqual([
        ['default/b', 'write 2'],
        ['default/c', 'write 4'],
      ]);
      expect(rest).toMatchObject({ status: 200, resourceVersion: 'write 4', continues: false });
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
    'list resourceVersion semantics (Exact, NotOlderThan, 0) and the options the server refuses',
    async (session) => {
      session.create({ name: 'a' });
      const second = session.create({ name: 'b' });
      session.update({ name: 'a', data: { changed: 'yes' } });
      const latest = session.delete('default/b');
      const list = async (query: Record<string, string>) => (await session.list({ query })).outcome;
      const exact = { resourceVersion: second, resourceVersionMatch: 'Exact' };
      const exactFirstPage = await session.list({ query: { ...exact, limit: '1' } });
      const outcome = {
        exact: await list(exact),
        exactPages: [
          exactFirstPage.outcome,
          await list({ limit: '1', continue: exactFirstPage.continueToken ?? '' }),
        ],
        notOlderThan: await list({ resourceVersion: second, resourceVersionMatch: 'NotOlderThan' }),
        any: await list({ resourceVersion: '0' }),
        compactedExact: await (async () => {
          session.compact();
          return list(exact);
        })(),
        exactAtCompaction: await list({ resourceVersion: latest, resourceVersionMatch: 'Exact' }),
        matchWithoutVersion: await list({ resourceVersionMatch: 'NotOlderThan' }),
        unsupportedMatch: await list({ resourceVersion: second, resourceVersionMatch: 'Newest' }),
        exactZero: await list({ resourceVersion: '0', resourceVersionMatch: 'Exact' }),
        continueWithVersion: await list({
          resourceVersion: second,
          continue: exactFirstPage.continueToken ?? '',
        }),
        watchWithContinue: (await session.watch({ query: { continue: exactFirstPage.continueToken ?? '' } }))
          .refusal,
        watchWithMatch: (
          await session.watch({ query: { resourceVersion: second, resourceVersionMatch: 'Exact' } })
        ).refusal,
      };
      return outcome;
    },
    (outcome) => {
      const items = (list: NormalizedList | NormalizedStatus) =>
        asList(list).items.map((item) => [item.key, item.resourceVersion]);
      // Exact: the state as it was at that version, paginated within that snapshot.
      expect(items(outcome.exact)).toEqual([
        ['default/a', 'write 1'],
        ['default/b', 'write 2'],
      ]);
      expect(outcome.exact).toMatchObject({ resourceVersion: 'write 2', continues: false });
      expect(outcome.exactPages.map(items)).toEqual([[['default/a', 'write 1']], [['default/b', 'write 2']]]);
      expect(outcome.exactPages.map((page) => asList(page).resourceVersion)).toEqual(['write 2', 'write 2']);
      // NotOlderThan and "0": the latest state here (a cache may be older for "0"; neither fake is).
      for (const latest of [outcome.notOlderThan, outcome.any]) {
        expect(items(latest)).toEqual([['default/a', 'write 3']]);
        expect(latest).toMatchObject({ resourceVersion: 'write 4' });
      }
      expect(outcome.compactedExact).toMatchObject({
        status: 410,
        reason: 'Expired',
        messagePattern: 'too old resource version: N (N)',
      });
      expect(items(outcome.exactAtCompaction)).toEqual([['default/a', 'write 3']]);
      for (const refusal of [
        outcome.matchWithoutVersion,
        outcome.unsupportedMatch,
        outcome.exactZero,
        outcome.watchWithContinue,
        outcome.watchWithMatch,
      ]) {
        expect(refusal).toMatchObject({ status: 422, kind: 'Status', code: 422, reason: 'Invalid' });
      }
      expect(outcome.continueWithVersion).toMatchObject({ status: 400, code: 400, reason: 'BadRequest' });
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
