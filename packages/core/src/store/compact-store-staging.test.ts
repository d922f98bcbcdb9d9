import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../protocol/kube-object.js';
import type { SourceText } from '../protocol/source-text.js';
import { CompactStore } from './compact-store.js';
import type { DeepReadonly } from './deep-readonly.js';

interface Pod extends KubeObject {
  readonly spec?: { readonly nodeName?: string };
}

function pod(name: string, node: string, uid = `uid-${name}`, resourceVersion = '1'): Pod {
  return { metadata: { namespace: 'default', name, uid, resourceVersion }, spec: { nodeName: node } };
}

/** A listed object as a list page delivers it: parsed from its own flat text, which travels with it. */
function listed(object: Pod): { object: DeepReadonly<Pod>; text: SourceText } {
  const text = JSON.stringify(object);
  return { object: JSON.parse(text) as DeepReadonly<Pod>, text: { text, shape: 'bare' } };
}

function countingStore() {
  const calls: string[] = [];
  const store = new CompactStore<Pod, 'byNode'>(
    {
      byNode: (object) => {
        calls.push(object.metadata?.name ?? '');
        return object.spec?.nodeName === undefined ? [] : [object.spec.nodeName];
      },
    },
    (error) => {
      throw error;
    },
  );
  return { store, calls };
}

describe('CompactStore.stage: listed objects described as their page arrives', () => {
  it('computes key and index values once, at staging; replace files the stand-ins without reading them', () => {
    const { store, calls } = countingStore();
    const standIns = [pod('a', 'n1'), pod('b', 'n2'), pod('c', 'n1')].map((object) => {
      const { object: parsed, text } = listed(object);
      return store.stage(parsed, text);
    });
    expect(calls).toEqual(['a', 'b', 'c']);
    const changes = store.replace(standIns);
    store.settle();
    expect(calls).toEqual(['a', 'b', 'c']);
    expect(changes.map((change) => change.type)).toEqual(['added', 'added', 'added']);
    expect(store.indexKeys('byNode', 'n1').sort()).toEqual(['default/a', 'default/c']);
    // A handler reads the stand-in as the object; the store reads its text.
    expect(changes[1]?.object.spec?.nodeName).toBe('n2');
    expect(store.getByKey('default/b')).toEqual(pod('b', 'n2'));
  });

  it('recomputes index values when indexes were added between staging and replace', () => {
    const { store } = countingStore();
    const { object, text } = listed(pod('a', 'n1'));
    const standIn = store.stage(object, text);
    const widened = store.addIndexers({ byName: (candidate) => [candidate.metadata?.name ?? ''] });
    widened.replace([standIn]);
    widened.settle();
    expect(widened.indexKeys('byName', 'a')).toEqual(['default/a']);
    expect(widened.indexKeys('byNode', 'n1')).toEqual(['default/a']);
  });

  it('relists from stand-ins exactly: unchanged kept, changed updated, recreated replaced, missing deleted', () => {
    const { store } = countingStore();
    store.replace(['a', 'b', 'c', 'd'].map((name) => pod(name, 'n1')));
    store.settle();
    const relisted = [
      pod('a', 'n1'),
      pod('b', 'n2', 'uid-b', '2'),
      pod('c', 'n1', 'uid-c-recreated', '3'),
    ].map((object) => {
      const { object: parsed, text } = listed(object);
      return store.stage(parsed, text);
    });
    const changes = store.replace(relisted);
    store.settle();
    const summary = changes.map((change) => `${change.type} ${change.object.metadata?.name}`);
    expect(summary).toEqual(['deleted d', 'updated b', 'deleted c', 'added c']);
    const updated = changes[1];
    expect(updated?.type === 'updated' && updated.oldObject.spec?.nodeName).toBe('n1');
    expect(store.indexKeys('byNode', 'n2')).toEqual(['default/b']);
    expect(store.getByKey('default/c')?.metadata?.uid).toBe('uid-c-recreated');
    expect(store.listKeys().sort()).toEqual(['default/a', 'default/b', 'default/c']);
  });

  it('returns an object without text as it is: nothing to keep but the object', () => {
    const { store } = countingStore();
    const object = pod('a', 'n1');
    expect(store.stage(object, undefined)).toBe(object);
  });
});
