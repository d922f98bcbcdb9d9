import { describe, expect, it } from 'vitest';
import { IndexConflictError } from '../errors/index-conflict-error.js';
import { IndexFunctionError } from '../errors/index-function-error.js';
import { KubeInformersError } from '../errors/kube-informers-error.js';
import { UnknownIndexError } from '../errors/unknown-index-error.js';
import { storageModes } from '../test-support/storage-modes.js';
import type { DeepReadonly } from './deep-readonly.js';
import { objectKey, splitKey } from './store.js';
import type { StoreWriter } from './store-writer.js';
import { createStoreWriter } from './store-writer.js';

interface Pod {
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string };
  spec?: { nodeName?: string };
  status?: { podIPs?: { ip: string }[] };
}

function pod(
  name: string,
  options: { ns?: string; ips?: string[]; node?: string; rv?: string; uid?: string } = {},
): Pod {
  return {
    metadata: {
      name,
      namespace: options.ns ?? 'default',
      uid: options.uid ?? `uid-${name}`,
      resourceVersion: options.rv ?? '1',
    },
    spec: { nodeName: options.node ?? 'node-1' },
    status: { podIPs: (options.ips ?? []).map((ip) => ({ ip })) },
  };
}

const byIP = (object: DeepReadonly<Pod>) => object.status?.podIPs?.map((entry) => entry.ip) ?? [];
const byNode = (object: DeepReadonly<Pod>) => (object.spec?.nodeName ? [object.spec.nodeName] : []);

function put(store: StoreWriter<Pod, string>, object: Pod) {
  return store.upsert(object);
}

function remove(store: StoreWriter<Pod, string>, key: string) {
  const { namespace, name } = splitKey(key);
  return store.delete({ metadata: { name, namespace } });
}

describe('keys', () => {
  it('are namespace/name, or name for cluster-scoped objects, and split back', () => {
    expect(objectKey(pod('a', { ns: 'team' }))).toBe('team/a');
    expect(objectKey({ metadata: { name: 'node-1' } })).toBe('node-1');
    expect(objectKey({ metadata: { name: 'node-1', namespace: '' } })).toBe('node-1');
    expect(splitKey('team/a')).toEqual({ namespace: 'team', name: 'a' });
    expect(splitKey('node-1')).toEqual({ namespace: undefined, name: 'node-1' });
  });
});

describe.each(storageModes)('the store of %s', (mode) => {
  function newStore(errors: IndexFunctionError[] = []) {
    return createStoreWriter<Pod, 'byIP'>(mode, { byIP }, (error) => errors.push(error));
  }

  it('reads by key, by namespace and name, and lists', () => {
    const store = newStore();
    put(store, pod('a'));
    put(store, pod('b', { ns: 'kube-system' }));
    expect(store.getByKey('default/a')?.metadata.name).toBe('a');
    expect(store.get('kube-system', 'b')?.metadata.name).toBe('b');
    expect(store.get('default', 'b')).toBeUndefined();
    expect(store.listKeys().sort()).toEqual(['default/a', 'kube-system/b']);
    expect(store.list()).toHaveLength(2);
    expect(store.size).toBe(2);
    expect(store.indexNames).toEqual(['namespace', 'byIP']);
  });

  it('answers getByKey from every write path: update, delete, relist, cluster scope', () => {
    const store = newStore();
    put(store, pod('a'));
    put(store, pod('a', { ips: ['10.0.0.9'], rv: '2' }));
    expect(store.getByKey('default/a')?.status?.podIPs?.[0]?.ip).toBe('10.0.0.9');
    store.delete(pod('a'));
    expect(store.getByKey('default/a')).toBeUndefined();
    store.replace([pod('b', { ns: 'team' })]);
    expect(store.getByKey('team/b')?.metadata.name).toBe('b');
    store.replace([]);
    expect(store.getByKey('team/b')).toBeUndefined();
    const nodes = createStoreWriter<Pod, never>(mode, undefined, () => {});
    put(nodes, { metadata: { name: 'node-1' } });
    expect(nodes.getByKey('node-1')?.metadata.name).toBe('node-1');
    expect(nodes.getByKey('/node-1')).toBeUndefined();
  });

  it('reads cluster-scoped objects by name', () => {
    const store = createStoreWriter<Pod, never>(mode, undefined, () => {});
    put(store, { metadata: { name: 'node-1' } });
    expect(store.get('node-1')?.metadata.name).toBe('node-1');
    expect(store.listIndexValues('namespace')).toEqual([]);
  });

  it('files several objects under one value and moves them when values change', () => {
    const store = newStore();
    put(store, pod('host-a', { ips: ['10.0.0.1'] }));
    put(store, pod('host-b', { ips: ['10.0.0.1'] }));
    put(store, pod('c', { ips: ['10.1.0.7', 'fd00::7'] }));
    expect(store.indexKeys('byIP', '10.0.0.1').sort()).toEqual(['default/host-a', 'default/host-b']);
    expect(store.byIndex('byIP', 'fd00::7').map((object) => object.metadata.name)).toEqual(['c']);

    put(store, pod('host-b', { ips: ['10.0.0.2'], rv: '2' }));
    expect(store.indexKeys('byIP', '10.0.0.1')).toEqual(['default/host-a']);
    expect(store.indexKeys('byIP', '10.0.0.2')).toEqual(['default/host-b']);

    remove(store, 'default/host-a');
    remove(store, 'default/c');
    expect(store.listIndexValues('byIP')).toEqual(['10.0.0.2']);
    expect(store.byIndex('byIP', '10.0.0.1')).toEqual([]);
    expect(store.byIndex('namespace', 'default').map((object) => object.metadata.name)).toEqual(['host-b']);
  });

  it('keeps namespace index buckets exact through deletes', () => {
    const store = newStore();
    for (const name of ['a', 'b', 'c']) put(store, pod(name, { ns: 'team' }));
    remove(store, 'team/b');
    expect(store.indexKeys('namespace', 'team').sort()).toEqual(['team/a', 'team/c']);
    remove(store, 'team/a');
    remove(store, 'team/c');
    expect(store.listIndexValues('namespace')).toEqual([]);
    expect(remove(store, 'team/none')).toBeUndefined();
  });

  it('throws a typed error naming an unknown index and the known ones', () => {
    const store = newStore();
    const read = () => store.byIndex('byIp' as 'byIP', '10.0.0.1');
    expect(read).toThrow(UnknownIndexError);
    expect(read).toThrow(/"byIp".*"namespace", "byIP"/);
    try {
      read();
    } catch (error) {
      expect(error).toBeInstanceOf(KubeInformersError);
      expect(error).toMatchObject({
        code: 'KI_UNKNOWN_INDEX',
        indexName: 'byIp',
        knownIndexNames: ['namespace', 'byIP'],
      });
    }
    expect(() => store.listIndexValues('nope' as 'byIP')).toThrow(UnknownIndexError);
  });

  it('stores an object without the values of an index function that throws, and reports it', () => {
    const errors: IndexFunctionError[] = [];
    const failure = new Error('boom');
    const store = createStoreWriter<Pod, 'byIP' | 'flaky'>(
      mode,
      {
        byIP,
        flaky: (object) => {
          if (object.metadata.name === 'bad') throw failure;
          return [object.metadata.name];
        },
      },
      (error) => errors.push(error),
    );
    put(store, pod('good', { ips: ['10.0.0.1'] }));
    put(store, pod('bad', { ips: ['10.0.0.2'] }));
    expect(store.getByKey('default/bad')).toBeDefined();
    expect(store.indexKeys('byIP', '10.0.0.2')).toEqual(['default/bad']);
    expect(store.listIndexValues('flaky')).toEqual(['good']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(IndexFunctionError);
    expect(errors[0]).toMatchObject({
      code: 'KI_INDEX_FUNCTION_FAILED',
      indexName: 'flaky',
      objectKey: 'default/bad',
      cause: failure,
    });
    // Updating and deleting the failing object leaves every index exact.
    put(store, pod('bad', { ips: ['10.0.0.3'], rv: '2' }));
    expect(store.listIndexValues('byIP').sort()).toEqual(['10.0.0.1', '10.0.0.3']);
    remove(store, 'default/bad');
    expect(store.listIndexValues('flaky')).toEqual(['good']);
    expect(store.size).toBe(1);
  });

  it('rejects an index function result that is not an array of strings', () => {
    const errors: IndexFunctionError[] = [];
    const store = createStoreWriter<Pod, 'broken'>(
      mode,
      { broken: () => [42] as unknown as string[] },
      (error) => errors.push(error),
    );
    put(store, pod('a'));
    expect(store.listIndexValues('broken')).toEqual([]);
    expect(errors[0]?.cause).toBeInstanceOf(TypeError);
  });

  it('scrubs stale values when an impure index function fails on the previous version', () => {
    let calls = 0;
    const store = createStoreWriter<Pod, 'impure'>(
      mode,
      {
        impure: () => {
          calls += 1;
          if (calls === 3) throw new Error('only the third call fails');
          return [`value-${calls}`];
        },
      },
      () => {},
    );
    put(store, pod('a')); // call 1: filed under value-1
    put(store, pod('a', { rv: '2' })); // call 2 (new version): value-2; call 3 (old version) fails → scrub
    expect(store.listIndexValues('impure')).toEqual(['value-2']);
    expect(store.size).toBe(1);
  });

  it('adds indexers after objects are held, backfilling them, and refuses conflicts atomically', () => {
    const store = newStore();
    put(store, pod('a', { node: 'node-1' }));
    put(store, pod('b', { node: 'node-2' }));
    const wider = store.addIndexers({ byNode });
    expect(wider.indexKeys('byNode', 'node-2')).toEqual(['default/b']);
    put(store, pod('c', { node: 'node-2' }));
    expect(wider.indexKeys('byNode', 'node-2').sort()).toEqual(['default/b', 'default/c']);

    expect(() => store.addIndexers({ byNode })).not.toThrow();
    const conflict = () => store.addIndexers({ other: byNode, byIP: byNode } as never);
    expect(conflict).toThrow(IndexConflictError);
    expect(store.indexNames).toEqual(['namespace', 'byIP', 'byNode']);
    expect(() => store.addIndexers({ namespace: byNode } as never)).toThrow(/"namespace"/);
  });

  it('replaces atomically, reporting deletes, adds, updates, recreations, and nothing for unchanged objects', () => {
    const store = newStore();
    const unchanged = pod('unchanged', { rv: '5', ips: ['10.0.0.5'] });
    put(store, unchanged);
    put(store, pod('gone', { rv: '6', ips: ['10.0.0.6'] }));
    put(store, pod('changed', { rv: '7', ips: ['10.0.0.7'] }));
    put(store, pod('recreated', { rv: '8', uid: 'old' }));

    const changes = store.replace([
      pod('unchanged', { rv: '5', ips: ['10.0.0.5'] }),
      pod('changed', { rv: '9', ips: ['10.0.0.9'] }),
      pod('recreated', { rv: '10', uid: 'new' }),
      pod('new', { rv: '11', ips: ['10.0.0.6'] }),
    ]);
    expect(
      changes.map((change) => [
        change.type,
        change.object.metadata.name,
        change.object.metadata.resourceVersion,
      ]),
    ).toEqual([
      ['deleted', 'gone', '6'],
      ['updated', 'changed', '9'],
      ['deleted', 'recreated', '8'],
      ['added', 'recreated', '10'],
      ['added', 'new', '11'],
    ]);
    const update = changes[1];
    expect(update?.type === 'updated' && update.oldObject.metadata.resourceVersion).toBe('7');
    // Objects: the held instance itself; compact: the held text, unchanged (read identity is a read's).
    if (mode === 'objects') expect(store.getByKey('default/unchanged')).toBe(unchanged);
    else expect(store.getByKey('default/unchanged')).toEqual(unchanged);
    expect(store.listKeys().sort()).toEqual([
      'default/changed',
      'default/new',
      'default/recreated',
      'default/unchanged',
    ]);
    expect(store.indexKeys('byIP', '10.0.0.6')).toEqual(['default/new']);
    expect(store.byIndex('byIP', '10.0.0.7')).toEqual([]);
    expect(store.replace([])).toHaveLength(4);
    expect(store.size).toBe(0);
    expect(store.listIndexValues('byIP')).toEqual([]);
    expect(store.listIndexValues('namespace')).toEqual([]);
  });
});
