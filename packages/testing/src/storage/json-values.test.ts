import { describe, expect, it } from 'vitest';
import { podFixture } from '../fixtures/pod-fixture.js';
import { cloneJson, jsonEqual, serializeStored } from './json-values.js';

describe('JSON helpers', () => {
  it('serializes stored objects exactly like JSON.stringify, also when revisions share parts', () => {
    const pod = podFixture({ name: 'web-0' }) as Record<string, unknown>;
    expect(serializeStored(pod)).toBe(JSON.stringify(pod));
    const metadata = pod.metadata as Record<string, unknown>;
    const next = { ...pod, metadata: { ...metadata, annotations: { changed: 'yes' }, skipped: undefined } };
    expect(serializeStored(next)).toBe(JSON.stringify(next));
    expect(serializeStored(pod)).toBe(JSON.stringify(pod));
    const odd = {
      'quote"key': [1, null, 'x'],
      metadata: { 'a\nb': { c: true } },
      empty: {},
      none: undefined,
    };
    expect(serializeStored(odd)).toBe(JSON.stringify(odd));
  });

  it('copies deeply and compares structurally', () => {
    const pod = podFixture({ name: 'web-0' });
    const copy = cloneJson(pod);
    expect(copy).toEqual(pod);
    expect(copy.metadata).not.toBe(pod.metadata);
    expect(jsonEqual(copy, pod)).toBe(true);
    expect(jsonEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(jsonEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(jsonEqual({ a: {} }, { a: [] })).toBe(false);
  });
});
