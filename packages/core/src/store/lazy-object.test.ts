import { describe, expect, it } from 'vitest';
import { lazyObject } from './lazy-object.js';

describe('lazyObject', () => {
  it('materializes once, on first access, and then reads like the object', () => {
    let calls = 0;
    const lazy = lazyObject(() => {
      calls += 1;
      return { metadata: { name: 'a', labels: { app: 'web' } }, spec: { n: 1 } };
    });
    expect(calls).toBe(0);
    expect(lazy.metadata.name).toBe('a');
    expect(calls).toBe(1);
    expect('spec' in lazy).toBe(true);
    expect(Object.keys(lazy)).toEqual(['metadata', 'spec']);
    expect({ ...lazy }).toEqual({ metadata: { name: 'a', labels: { app: 'web' } }, spec: { n: 1 } });
    expect(JSON.parse(JSON.stringify(lazy))).toEqual({
      metadata: { name: 'a', labels: { app: 'web' } },
      spec: { n: 1 },
    });
    expect(lazy).toEqual({ metadata: { name: 'a', labels: { app: 'web' } }, spec: { n: 1 } });
    expect(lazy.metadata).toBe(lazy.metadata);
    expect(calls).toBe(1);
  });

  it('refuses writes', () => {
    const lazy = lazyObject(() => ({ name: 'a' })) as { name: string; other?: number };
    expect(() => {
      lazy.name = 'b';
    }).toThrow(TypeError);
    expect(() => {
      delete lazy.other;
    }).toThrow(TypeError);
    expect(() => Object.defineProperty(lazy, 'other', { value: 1 })).toThrow(TypeError);
    expect(lazy.name).toBe('a');
  });
});
