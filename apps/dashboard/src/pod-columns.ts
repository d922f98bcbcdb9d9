import type { StoredPod } from './kube-types.js';

export function readiness(pod: StoredPod): string {
  const statuses = pod.status?.containerStatuses ?? [];
  return `${statuses.filter((status) => status.ready === true).length}/${statuses.length}`;
}

export function restarts(pod: StoredPod): number {
  return (pod.status?.containerStatuses ?? []).reduce((sum, status) => sum + (status.restartCount ?? 0), 0);
}

/** Age as kubectl prints it: the largest unit, `45s`, `12m`, `3h`, `5d`. */
export function age(pod: StoredPod, now: number): string {
  const created = Date.parse(pod.metadata?.creationTimestamp ?? '');
  if (Number.isNaN(created)) return '';
  const seconds = Math.max(0, Math.floor((now - created) / 1_000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 2 * 3_600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 2 * 86_400) return `${Math.floor(seconds / 3_600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

export function labelPairs(pod: StoredPod): string[] {
  return Object.entries(pod.metadata?.labels ?? {}).map(([key, value]) => `${key}=${value}`);
}

export function podCount(count: number): string {
  return `${count} ${count === 1 ? 'pod' : 'pods'}`;
}
