import { describe, expect, it } from 'vitest';
import type { StoredPod } from './kube-types.js';
import { age, labelPairs, podCount, readiness, restarts } from './pod-columns.js';

const pod: StoredPod = {
  metadata: { name: 'p', creationTimestamp: '2026-01-01T00:00:00Z', labels: { app: 'web', tier: 'front' } },
  status: {
    containerStatuses: [
      { ready: true, restartCount: 2 },
      { ready: false, restartCount: 1 },
    ],
  },
};
const created = Date.parse('2026-01-01T00:00:00Z');

describe('pod columns', () => {
  it('reads readiness, restarts and labels as kubectl shows them', () => {
    expect(readiness(pod)).toBe('1/2');
    expect(restarts(pod)).toBe(3);
    expect(labelPairs(pod)).toEqual(['app=web', 'tier=front']);
    expect(restarts({ metadata: { name: 'bare' } })).toBe(0);
  });

  it('gives the age in its largest unit, never negative, and nothing without a creation time', () => {
    expect(age(pod, created + 45_000)).toBe('45s');
    expect(age(pod, created + 12 * 60_000)).toBe('12m');
    expect(age(pod, created + 3 * 3_600_000)).toBe('3h');
    expect(age(pod, created + 5 * 86_400_000)).toBe('5d');
    expect(age(pod, created - 5_000)).toBe('0s');
    expect(age({ metadata: { name: 'bare' } }, created)).toBe('');
  });

  it('counts in the singular for one pod', () => {
    expect(podCount(0)).toBe('0 pods');
    expect(podCount(1)).toBe('1 pod');
    expect(podCount(10_000)).toBe('10000 pods');
  });
});
