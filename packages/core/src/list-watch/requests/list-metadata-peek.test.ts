import { describe, expect, it } from 'vitest';
import { peekListMetadata } from './list-metadata-peek.js';

const page = JSON.stringify({
  kind: 'PodList',
  apiVersion: 'v1',
  metadata: {
    resourceVersion: '12345',
    continue: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTIzNDV9',
    remainingItemCount: 700,
  },
  items: [{ metadata: { name: 'a', resourceVersion: '1', annotations: { x: '"}{' } } }],
});

describe('peekListMetadata', () => {
  it('reads resourceVersion and continue from the head of a page', () => {
    expect(peekListMetadata(page)).toEqual({
      resourceVersion: '12345',
      continueToken: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTIzNDV9',
    });
  });

  it('needs only the text up to the end of metadata, and says when that has not arrived', () => {
    const end = page.indexOf('"items"');
    for (let cut = 0; cut < page.indexOf('},"items"') + 1; cut++) {
      expect(peekListMetadata(page.slice(0, cut))).toBe('incomplete');
    }
    expect(peekListMetadata(page.slice(0, end))).toMatchObject({ resourceVersion: '12345' });
  });

  it('reports no continue token on the last page', () => {
    expect(
      peekListMetadata('{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"9"},"items":[]}'),
    ).toEqual({
      resourceVersion: '9',
      continueToken: undefined,
    });
    expect(peekListMetadata('{"metadata":{"resourceVersion":"9","continue":""},"items":[]}')).toEqual({
      resourceVersion: '9',
      continueToken: undefined,
    });
  });

  it('tolerates whitespace, escapes and other fields before metadata', () => {
    const pretty =
      '{\n  "kind": "List",\n  "weird\\"key": {"a": [1, "}"]},\n  "n": 1.5e3,\n  "metadata": { "continue": "t" }\n}';
    expect(peekListMetadata(pretty)).toEqual({ resourceVersion: undefined, continueToken: 't' });
  });

  it('gives up (undefined) when items come first or the body is not an object', () => {
    expect(
      peekListMetadata('{"items":[{"metadata":{"name":"a"}}],"metadata":{"continue":"t"}}'),
    ).toBeUndefined();
    expect(peekListMetadata('[1]')).toBeUndefined();
    expect(peekListMetadata('<html>')).toBeUndefined();
    expect(peekListMetadata('{"kind":"List"}')).toBeUndefined();
    expect(peekListMetadata('{"metadata":"text"}')).toBeUndefined();
    expect(peekListMetadata('{kind:1}')).toBeUndefined();
  });
});
