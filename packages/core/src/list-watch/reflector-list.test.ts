import { afterEach, describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import type { Pod } from '../test-support/reflector-harness.js';
import { eventually, pod, pods, RecordingSink, startReflector } from '../test-support/reflector-harness.js';
import {
  listBody,
  ScriptedBody,
  ScriptedTransport,
  statusBody,
  watchLine,
} from '../test-support/scripted-transport.js';
import { Reflector } from './reflector.js';

let current: ReturnType<typeof startReflector> | undefined;
const start = (options?: Parameters<typeof startReflector>[0]) => {
  current = startReflector(options);
  return current;
};

afterEach(async () => {
  await current?.stop();
  current = undefined;
});

const openWatch = () => ({ body: new ScriptedBody() });

describe('Reflector list', () => {
  it('pages with limit 500 and continue, prefetching the next page before the current one is complete', async () => {
    const { transport, sink, progress, reflector } = start();
    const first = await transport.nextRequest();
    expect(first.path).toBe('/api/v1/pods');
    expect(first.query).toEqual({ limit: '500' });
    const page1 = listBody([pod('a', '1'), pod('b', '2')], '10', 'token-1');
    const itemsAt = page1.indexOf('"items"');
    const body1 = new ScriptedBody(page1.slice(0, itemsAt));
    first.respond({ headers: { 'content-type': 'application/json' }, body: body1 });

    // Only the head of page 1 has arrived, and page 2 is already requested.
    const second = await transport.nextRequest();
    expect(second.query).toEqual({ limit: '500', continue: 'token-1' });
    expect(sink.calls).toEqual([]);
    second.respond({ body: [listBody([pod('c', '3')], '10', 'token-2')] });
    body1.push(page1.slice(itemsAt)).end();

    const third = await transport.nextRequest();
    expect(third.query).toEqual({ limit: '500', continue: 'token-2' });
    expect(sink.calls).toEqual([]);
    third.respond({ body: [listBody([pod('d', '4')], '10')] });

    const watch = await transport.nextRequest();
    expect(sink.calls).toEqual([['replace', ['a', 'b', 'c', 'd'], '10']]);
    expect(reflector.lastSyncResourceVersion).toBe('10');
    expect(progress).toEqual([2, 3, 4]);
    expect(watch.query).toEqual({
      watch: 'true',
      allowWatchBookmarks: 'true',
      timeoutSeconds: '450',
      resourceVersion: '10',
    });
    watch.respond(openWatch());
    // Exactly three list requests: no page was fetched twice.
    expect(transport.requests.filter((request) => request.query.watch === undefined)).toHaveLength(3);
  });

  it("hands each listed object to the sink's prepare as its page arrives, and replaces with what it returned", async () => {
    const { transport, sink } = start();
    const prepared: string[] = [];
    sink.prepare = (object) => {
      prepared.push(object.metadata?.name ?? '?');
      return { ...object, metadata: { ...object.metadata, name: `prepared-${object.metadata?.name}` } };
    };
    const first = await transport.nextRequest();
    first.respond({ body: [listBody([pod('a', '1'), pod('b', '2')], '10', 'token-1')] });
    const second = await transport.nextRequest();
    // The first page is prepared before the second arrives; nothing is replaced yet.
    await eventually(() => expect(prepared).toEqual(['a', 'b']));
    expect(sink.calls).toEqual([]);
    second.respond({ body: [listBody([pod('c', '3')], '10')] });
    await transport.nextRequest();
    expect(prepared).toEqual(['a', 'b', 'c']);
    expect(sink.calls).toEqual([['replace', ['prepared-a', 'prepared-b', 'prepared-c'], '10']]);
  });

  it('restarts one fresh full list when the continue token expires, never mixing the pages', async () => {
    const { transport, sink, errors } = start();
    transport.reply({ body: [listBody([pod('old-a', '1')], '10', 'token-1')] });
    const second = await transport.nextRequest();
    second.respond({ status: 410, body: [statusBody(410, 'Expired', 'continue token expired')] });
    const fresh = await transport.nextRequest();
    // Without limit: a second paginated attempt could expire the same way.
    expect(fresh.query).toEqual({});
    fresh.respond({ body: [listBody([pod('new-a', '5'), pod('new-b', '6')], '20')] });
    const watch = await transport.nextRequest();
    expect(watch.query.resourceVersion).toBe('20');
    expect(sink.calls).toEqual([['replace', ['new-a', 'new-b'], '20']]);
    expect(errors).toEqual([]);
    watch.respond(openWatch());
  });

  it('abandons a prefetched page when the current page breaks off, and retries that page after a backoff', async () => {
    const { transport, sink, errors, elapseBackoff } = start();
    const first = await transport.nextRequest();
    const page1 = listBody([pod('a', '1')], '10', 'token-1');
    const body1 = new ScriptedBody(page1.slice(0, page1.indexOf('"items"')));
    first.respond({ body: body1 });
    const prefetched = await transport.nextRequest();
    expect(prefetched.query.continue).toBe('token-1');
    body1.fail(new Error('socket hang up'));
    await eventually(() => expect(prefetched.signal.aborted).toBe(true));
    expect(errors.map((error) => error.code)).toEqual(['KI_TRANSPORT_ERROR']);
    expect(errors[0]?.message).toContain('socket hang up');
    await elapseBackoff(800);
    const retry = await transport.nextRequest();
    expect(retry.query).toEqual({ limit: '500' });
    retry.respond({ body: [listBody([pod('a', '1')], '10')] });
    const watch = await transport.nextRequest();
    expect(sink.calls).toEqual([['replace', ['a'], '10']]);
    watch.respond(openWatch());
  });

  it('retries a failed page with the same continue token, keeping the pages before it', async () => {
    const { transport, sink, errors, elapseBackoff } = start();
    transport.reply(
      { body: [listBody([pod('a', '1')], '10', 'token-1')] },
      { status: 503, body: [statusBody(503, 'ServiceUnavailable')] },
    );
    await elapseBackoff(800);
    const retry = await transport.nextRequest();
    expect(retry.query).toEqual({ limit: '500', continue: 'token-1' });
    retry.respond({ body: [listBody([pod('b', '2')], '10')] });
    const watch = await transport.nextRequest();
    expect(sink.calls).toEqual([['replace', ['a', 'b'], '10']]);
    expect(errors.map((error) => error.code)).toEqual(['KI_API_SERVER_ERROR']);
    watch.respond(openWatch());
  });

  it('reports an HTML error page from a proxy with its status, content type and an excerpt', async () => {
    const { transport, errors, elapseBackoff } = start();
    transport.reply({
      status: 502,
      headers: { 'content-type': 'text/html' },
      body: ['<html><body><h1>502 Bad Gateway</h1></body></html>'],
    });
    await elapseBackoff(800);
    expect(errors[0]).toMatchObject({
      code: 'KI_UNEXPECTED_RESPONSE',
      statusCode: 502,
      contentType: 'text/html',
    });
    expect(errors[0]?.message).toContain('502 Bad Gateway');
    (await transport.nextRequest()).respond({ body: [listBody([], '3')] });
    (await transport.nextRequest()).respond(openWatch());
  });

  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])(
    'rejects a list with an unnamed item or a malformed body without touching the sink (pruneManagedFields: %s, keepText: %s)',
    async (pruneManagedFields, keepText) => {
      const { transport, sink, errors, elapseBackoff } = start({ pruneManagedFields, keepText });
      transport.reply({ body: [listBody([pod('a', '1'), { metadata: {} }], '10')] });
      await elapseBackoff(800);
      transport.reply({ body: [listBody([pod('a', '1')], '10').slice(0, 30)] });
      await elapseBackoff(1600);
      // Malformed only inside the member that pruning cuts: still rejected, never parsed as valid.
      transport.reply({
        body: ['{"metadata":{"resourceVersion":"10"},"items":[{"metadata":{"name":"a","managedFields":[}}]}'],
      });
      await elapseBackoff(3200);
      // Malformed inside an item only: the skeleton is fine, the item's own parse is not.
      transport.reply({
        body: ['{"metadata":{"resourceVersion":"10"},"items":[{"metadata":{"name":"a","x":}}]}'],
      });
      await elapseBackoff(6400);
      expect(errors.map((error) => error.message)).toEqual([
        expect.stringContaining('list item 1 has no metadata.name'),
        expect.stringContaining('not JSON'),
        expect.stringContaining('not JSON'),
        expect.stringContaining('not JSON'),
      ]);
      expect(errors[2]?.message).toContain('managedFields\\":[}');
      expect(sink.calls).toEqual([]);
      (await transport.nextRequest()).respond({ body: [listBody([pod('a', '1')], '10')] });
      (await transport.nextRequest()).respond(openWatch());
      expect(sink.calls).toEqual([['replace', ['a'], '10']]);
    },
  );

  it('with pruneManagedFields, hands the sink items without managedFields and keeps everything else', async () => {
    const objects: Pod[] = [];
    const { transport, sink } = start({ pruneManagedFields: true });
    const originalReplace = sink.replace.bind(sink);
    sink.replace = (items, resourceVersion) => {
      objects.push(...items);
      originalReplace(items, resourceVersion);
    };
    const withFields = (name: string, managedFields: unknown): Pod => ({
      metadata: {
        name,
        resourceVersion: '1',
        annotations: { note: '"managedFields":[]' },
        managedFields,
      } as Pod['metadata'],
    });
    transport.reply({
      body: [listBody([withFields('a', [{ manager: 'kubelet' }]), withFields('b', [])], '10')],
    });
    (await transport.nextRequest()).respond(openWatch());
    const typeMeta = { apiVersion: 'v1', kind: 'Pod' };
    expect(objects).toEqual([
      {
        metadata: { name: 'a', resourceVersion: '1', annotations: { note: '"managedFields":[]' } },
        ...typeMeta,
      },
      {
        metadata: { name: 'b', resourceVersion: '1', annotations: { note: '"managedFields":[]' } },
        ...typeMeta,
      },
    ]);
  });

  it.each([
    [false, { apiVersion: 'v1', kind: 'Pod' }],
    [true, { apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata' }],
  ])(
    'fills apiVersion and kind on list items as watch objects carry them (metadataOnly: %s)',
    async (metadataOnly, typeMeta) => {
      const objects: Pod[] = [];
      const { transport, sink } = start({ metadataOnly });
      const originalReplace = sink.replace.bind(sink);
      sink.replace = (items, resourceVersion) => {
        objects.push(...items);
        originalReplace(items, resourceVersion);
      };
      // The API server leaves them out of list items; one that carries them keeps its own.
      const carried = {
        apiVersion: 'example.com/v2',
        kind: 'Other',
        metadata: { name: 'b', resourceVersion: '1' },
      };
      transport.reply({ body: [listBody([pod('a', '1'), carried], '10')] });
      const applied: Pod[] = [];
      sink.apply = (change) => {
        applied.push(change.object);
      };
      // A watch object without them (never sent by the API server) is filled the same way.
      (await transport.nextRequest()).respond({
        body: new ScriptedBody(watchLine('ADDED', pod('c', '11')), watchLine('MODIFIED', carried)),
      });
      expect(objects).toEqual([{ ...pod('a', '1'), ...typeMeta }, carried]);
      await eventually(() => expect(applied).toEqual([{ ...pod('c', '11'), ...typeMeta }, carried]));
    },
  );

  it('honours Retry-After on 429, waiting at least the backoff', async () => {
    const { transport, errors, elapseBackoff } = start();
    transport.reply({
      status: 429,
      headers: { 'retry-after': '5' },
      body: [statusBody(429, 'TooManyRequests')],
    });
    await elapseBackoff(5_000);
    expect(errors[0]).toMatchObject({ code: 'KI_TOO_MANY_REQUESTS', retryAfterSeconds: 5 });
    transport.reply({
      status: 429,
      body: [statusBody(429, 'TooManyRequests', 'busy', { retryAfterSeconds: 1 })],
    });
    // The backoff (1600 ms now) is longer than the 1 s asked for.
    await elapseBackoff(1_600);
    (await transport.nextRequest()).respond({ body: [listBody([], '3')] });
    (await transport.nextRequest()).respond(openWatch());
  });

  it('surfaces 401 and 403 and keeps retrying with backoff', async () => {
    const { transport, errors, elapseBackoff } = start();
    transport.reply({ status: 401, body: [statusBody(401, 'Unauthorized')] });
    await elapseBackoff(800);
    transport.reply({ status: 403, body: [statusBody(403, 'Forbidden', 'pods is forbidden')] });
    await elapseBackoff(1_600);
    expect(errors.map((error) => error.code)).toEqual(['KI_API_UNAUTHORIZED', 'KI_API_FORBIDDEN']);
    (await transport.nextRequest()).respond({ body: [listBody([], '3')] });
    (await transport.nextRequest()).respond(openWatch());
  });

  it('re-requests a list page that stalls, after the request timeout plus the grace', async () => {
    const { transport, clock, errors } = start();
    const first = await transport.nextRequest();
    first.respond({ body: new ScriptedBody('{"kind":"PodList",') });
    await eventually(() => expect(clock.nextTimerDelay).toBe(90_000));
    clock.advance(90_000);
    const retry = await transport.nextRequest();
    expect(first.signal.aborted).toBe(true);
    expect(errors.map((error) => error.code)).toEqual(['KI_WATCH_STALLED']);
    retry.respond({ body: [listBody([], '3')] });
    (await transport.nextRequest()).respond(openWatch());
  });

  it('passes namespace, selectors and the metadata-only media type', async () => {
    const { transport } = start({
      namespace: 'team-a',
      labelSelector: 'app=web',
      fieldSelector: 'status.phase=Running',
      metadataOnly: true,
      pageSize: 2,
    });
    const list = await transport.nextRequest();
    expect(list.path).toBe('/api/v1/namespaces/team-a/pods');
    expect(list.query).toEqual({
      limit: '2',
      labelSelector: 'app=web',
      fieldSelector: 'status.phase=Running',
    });
    expect(list.headers.accept).toBe('application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1');
    list.respond({ body: [listBody([], '3')] });
    const watch = await transport.nextRequest();
    expect(watch.query).toMatchObject({ labelSelector: 'app=web', fieldSelector: 'status.phase=Running' });
    expect(watch.headers.accept).toBe('application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1');
    watch.respond({ body: new ScriptedBody(watchLine('ADDED', pod('a', '4', 'team-a'))) });
  });
});

describe('Reflector lifecycle', () => {
  it('resolves run() on abort while a request is pending, leaving no timer and no open request', async () => {
    const { transport } = start();
    await transport.nextRequest();
    // stop() in afterEach checks the rest.
  });

  it('resolves run() on abort during a backoff', async () => {
    const { transport, clock } = start();
    transport.reply({ networkError: new Error('ECONNREFUSED') });
    await eventually(() => expect(clock.nextTimerDelay).toBe(800));
  });

  it('rejects a second concurrent run and an invalid page size', async () => {
    expect(
      () =>
        new Reflector<Pod>({
          transport: new ScriptedTransport(),
          resource: pods,
          sink: new RecordingSink(),
          pageSize: 0,
        }),
    ).toThrow(InvalidOptionError);
    const { reflector } = start();
    await expect(reflector.run(new AbortController().signal)).rejects.toThrow(/already running/);
  });

  it('returns at once for an aborted signal', async () => {
    const transport = new ScriptedTransport();
    const reflector = new Reflector<Pod>({ transport, resource: pods, sink: new RecordingSink() });
    await reflector.run(AbortSignal.abort());
    expect(transport.requests.every((request) => request.signal.aborted)).toBe(true);
  });
});
