import type { Json } from '../cluster-access.js';

export interface RolloutBounds {
  /** Pods above `spec.replicas` a rolling update may create. */
  readonly maxSurge: number;
  /** Pods below `spec.replicas` that may be unavailable during a rolling update. */
  readonly maxUnavailable: number;
}

/**
 * `maxSurge` and `maxUnavailable` of a Deployment in pods: percentages of `spec.replicas`, the surge
 * rounded up and the unavailability rounded down (so both err on the side of availability), defaults
 * 25% each; when both come out 0, one pod may be unavailable, or a rollout could never start.
 */
export function rolloutBounds(deployment: Json): RolloutBounds {
  const replicas = deployment.spec?.replicas ?? 1;
  const rolling = deployment.spec?.strategy?.rollingUpdate ?? {};
  const maxSurge = scaled(rolling.maxSurge ?? '25%', replicas, true);
  const maxUnavailable = scaled(rolling.maxUnavailable ?? '25%', replicas, false);
  if (maxSurge === 0 && maxUnavailable === 0) return { maxSurge: 0, maxUnavailable: 1 };
  return { maxSurge, maxUnavailable: Math.min(maxUnavailable, replicas) };
}

function scaled(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return Math.max(0, Math.trunc(value));
  const match = /^(\d+)%$/.exec(String(value));
  if (match === null) return Number.isInteger(Number(value)) ? Math.max(0, Number(value)) : 0;
  const exact = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}
