import { resourcePath } from '@kubeinformers/core';
import { describe, expect, it } from 'vitest';
import * as builtIn from './built-in-resources.js';

describe('built-in descriptors', () => {
  it('address the paths the API server serves', () => {
    expect(resourcePath(builtIn.pods, { namespace: 'default' })).toBe('/api/v1/namespaces/default/pods');
    expect(resourcePath(builtIn.nodes, { namespace: 'ignored' })).toBe('/api/v1/nodes');
    expect(resourcePath(builtIn.replicaSets)).toBe('/apis/apps/v1/replicasets');
    expect(resourcePath(builtIn.horizontalPodAutoscalers, { namespace: 'a' })).toBe(
      '/apis/autoscaling/v2/namespaces/a/horizontalpodautoscalers',
    );
  });

  it('are frozen, lower-case plural resources, one per kind', () => {
    const descriptors = Object.values(builtIn);
    for (const descriptor of descriptors) {
      expect(Object.isFrozen(descriptor)).toBe(true);
      expect(descriptor.resource).toMatch(/^[a-z]+s$/);
      expect(descriptor.kind).toMatch(/^[A-Z][A-Za-z]+$/);
    }
    const kinds = descriptors.map((descriptor) => `${descriptor.group}/${descriptor.kind}`);
    expect(new Set(kinds).size).toBe(kinds.length);
  });
});
