import { parseLabelSelector } from '@kubeinformers/core';
import { ApiStatusError, badRequest } from '../storage/api-status-error.js';
import type { DeleteOptions, ObjectStore } from '../storage/object-store.js';
import type { StoredRevision } from '../storage/stored-revision.js';
import type { ResourceCatalog } from './resource-catalog.js';

interface LabelSelectorObject {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { key: string; operator: string; values?: readonly string[] }[];
}

interface DisruptionBudget {
  readonly metadata: { readonly name?: string };
  readonly spec?: {
    readonly selector?: LabelSelectorObject | null;
    readonly minAvailable?: number | string;
    readonly maxUnavailable?: number | string;
  };
}

/**
 * `POST …/pods/{name}/eviction` (what `kubectl drain` sends): deletes the pod with the Eviction's
 * `deleteOptions`, unless a PodDisruptionBudget selecting it would be violated, which is a 429 as on the
 * real server (kubectl retries it). Budgets are evaluated on the spot over the pods they select, counting
 * pods in phase Running as healthy (there is no disruption controller to fill their status).
 */
export function evictPod(
  store: ObjectStore,
  catalog: ResourceCatalog,
  namespace: string,
  name: string,
  eviction: unknown,
  deleteOptions: DeleteOptions,
): object {
  const body = (eviction ?? {}) as { kind?: string; metadata?: { name?: string } };
  if (body.metadata?.name !== undefined && body.metadata.name !== name) {
    throw badRequest(`name in URL does not match name in Eviction object`);
  }
  const pods = catalog.resolve('pods');
  const pod = store.get(pods, namespace, name);
  const violated = violatedBudget(store, catalog, namespace, pod);
  if (violated !== undefined) {
    throw new ApiStatusError({
      code: 429,
      reason: 'TooManyRequests',
      message: `Cannot evict pod as it would violate the pod's disruption budget.`,
      details: {
        causes: [
          {
            reason: 'DisruptionBudget',
            message: `The disruption budget ${violated} needs more healthy pods to allow an eviction.`,
          },
        ],
      },
    });
  }
  store.delete(pods, namespace, name, deleteOptions);
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
}

function violatedBudget(
  store: ObjectStore,
  catalog: ResourceCatalog,
  namespace: string,
  pod: StoredRevision,
): string | undefined {
  const podLabels = pod.metadata.labels ?? {};
  if (pod.toObject<{ status?: { phase?: string } }>().status?.phase !== 'Running') return undefined;
  const budgets = [...store.table(catalog.resolve('poddisruptionbudgets')).objects.values()]
    .filter((revision) => revision.metadata.namespace === namespace)
    .map((revision) => revision.toObject<DisruptionBudget>());
  const pods = [...store.table(catalog.resolve('pods')).objects.values()].filter(
    (revision) => revision.metadata.namespace === namespace,
  );
  for (const budget of budgets) {
    const selector = selectorText(budget.spec?.selector);
    if (selector === undefined) continue;
    const matcher = parseLabelSelector(selector);
    if (!matcher.matches(podLabels)) continue;
    const selected = pods.filter((candidate) => matcher.matches(candidate.metadata.labels ?? {}));
    const healthy = selected.filter(
      (candidate) => candidate.toObject<{ status?: { phase?: string } }>().status?.phase === 'Running',
    ).length;
    const { minAvailable, maxUnavailable } = budget.spec ?? {};
    let desiredHealthy = 0;
    if (minAvailable !== undefined) desiredHealthy = scaled(minAvailable, selected.length, true);
    else if (maxUnavailable !== undefined) {
      desiredHealthy = selected.length - scaled(maxUnavailable, selected.length, true);
    }
    if (healthy - 1 < desiredHealthy) return budget.metadata.name ?? '';
  }
  return undefined;
}

/** An int-or-string against a total; percentages round up, as the disruption controller does. */
function scaled(value: number | string, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const percent = /^(\d+)%$/.exec(value);
  if (percent === null) return Number(value);
  const exact = (Number(percent[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/**
 * A `LabelSelector` object as selector text; `undefined` for a null selector (which selects nothing),
 * an empty one selects everything.
 */
function selectorText(selector: LabelSelectorObject | null | undefined): string | undefined {
  if (selector === undefined || selector === null) return undefined;
  const parts = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    if (operator === 'In') parts.push(`${key} in (${values.join(',')})`);
    else if (operator === 'NotIn') parts.push(`${key} notin (${values.join(',')})`);
    else if (operator === 'Exists') parts.push(key);
    else if (operator === 'DoesNotExist') parts.push(`!${key}`);
  }
  return parts.join(',');
}
