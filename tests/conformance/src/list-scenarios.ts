import { expect } from 'vitest';
import { asList, keys, type ListWatchScenario, scenario } from './list-watch-scenario.js';
import type { NormalizedList, NormalizedStatus } from './test-support/normalized-response.js';

/** Lists: pagination, selectors, expired continue tokens, resourceVersion semantics. */
export const listScenarios: readonly ListWatchScenario[] = [
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
];
