import { describe, expect, it } from 'vitest';
import { ApiStatusError } from './api-status-error.js';
import { applyPatch } from './object-patch.js';

const pod = {
  metadata: { name: 'p', labels: { a: '1', b: '2' }, finalizers: ['x'] },
  spec: {
    containers: [
      {
        name: 'app',
        image: 'app:1',
        ports: [{ containerPort: 80, name: 'http' }],
        env: [{ name: 'A', value: '1' }],
      },
      { name: 'sidecar', image: 'sidecar:1' },
    ],
    tolerations: [{ key: 't1' }],
  },
};

function failure(action: () => unknown): number {
  try {
    action();
  } catch (error) {
    if (error instanceof ApiStatusError) return error.statusCode;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('patches', () => {
  it('applies RFC 7386 merge patches without mutating the target', () => {
    const before = JSON.stringify(pod);
    const patched = applyPatch(pod, 'merge', {
      metadata: { labels: { a: null, c: '3' } },
      spec: { tolerations: [] },
    });
    expect(patched).toMatchObject({ metadata: { labels: { b: '2', c: '3' } }, spec: { tolerations: [] } });
    expect((patched as typeof pod).spec.containers).toBe(pod.spec.containers);
    expect(JSON.stringify(pod)).toBe(before);
  });

  it('applies RFC 6902 JSON patches, with 422 for failed tests and missing paths and 400 for malformed ones', () => {
    const patched = applyPatch(pod, 'json', [
      { op: 'test', path: '/metadata/name', value: 'p' },
      { op: 'add', path: '/spec/containers/-', value: { name: 'third' } },
      { op: 'move', from: '/metadata/labels/a', path: '/metadata/labels/moved' },
      { op: 'copy', from: '/metadata/name', path: '/metadata/annotations' },
      { op: 'remove', path: '/spec/tolerations' },
      { op: 'replace', path: '/metadata/labels/b', value: 'two' },
    ]) as typeof pod & { metadata: { annotations: string } };
    expect(patched.spec.containers.map((container) => container.name)).toEqual(['app', 'sidecar', 'third']);
    expect(patched.metadata.labels).toEqual({ b: 'two', moved: '1' });
    expect(patched.metadata.annotations).toBe('p');
    expect(patched.spec.tolerations).toBeUndefined();
    expect(pod.spec.containers).toHaveLength(2);
    expect(failure(() => applyPatch(pod, 'json', [{ op: 'test', path: '/metadata/name', value: 'q' }]))).toBe(
      422,
    );
    expect(failure(() => applyPatch(pod, 'json', [{ op: 'remove', path: '/nope/deeper' }]))).toBe(422);
    expect(failure(() => applyPatch(pod, 'json', [{ op: 'jump', path: '/x' }]))).toBe(400);
    expect(failure(() => applyPatch(pod, 'json', { op: 'add' }))).toBe(400);
  });

  it('approximates strategic merge: lists merge by key, directives apply, other lists are replaced', () => {
    const patched = applyPatch(pod, 'strategic', {
      metadata: { finalizers: ['y'] },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'app:2',
            ports: [{ containerPort: 443, name: 'https' }],
            env: [{ name: 'B', value: '2' }],
          },
          { name: 'sidecar', $patch: 'delete' },
          { name: 'new', image: 'new:1' },
        ],
        tolerations: [{ key: 't2' }],
      },
    }) as typeof pod;
    expect(patched.metadata.finalizers).toEqual(['x', 'y']);
    expect(patched.spec.containers.map((container) => container.name)).toEqual(['app', 'new']);
    const app = patched.spec.containers[0]!;
    expect(app.image).toBe('app:2');
    expect(app.ports?.map((port) => port.containerPort)).toEqual([80, 443]);
    expect(app.env?.map((variable) => variable.name)).toEqual(['A', 'B']);
    expect(patched.spec.tolerations).toEqual([{ key: 't2' }]);
    const removed = applyPatch(pod, 'strategic', {
      metadata: { '$deleteFromPrimitiveList/finalizers': ['x'] },
    }) as typeof pod;
    expect(removed.metadata.finalizers).toEqual([]);
    const replaced = applyPatch(pod, 'strategic', {
      metadata: { labels: { $patch: 'replace', only: 'this' } },
    }) as typeof pod;
    expect(replaced.metadata.labels).toEqual({ only: 'this' });
  });
});
