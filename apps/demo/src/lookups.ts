import type { DeepReadonly, SharedInformer } from '@kubeinformers/core';
import type { Wire } from '@kubeinformers/k8s-client-adapter';
import type { V1Pod, V1ReplicaSet, V1Service } from '@kubernetes/client-node';
import type { Terminal } from './terminal.js';

type Pod = Wire<V1Pod>;

/** The informers the lookups read, with the pods' `byIP` index. */
export interface LookupInformers {
  readonly pods: SharedInformer<Pod, 'byIP'>;
  readonly replicaSets: SharedInformer<Wire<V1ReplicaSet>>;
  readonly services: SharedInformer<Wire<V1Service>>;
}

/**
 * The reads an application makes from a synced cache, all synchronous and served from memory: a pod by
 * `namespace/name`, pods by IP through the `byIP` index (one pod, then an IP several host-network pods
 * share), the pod's ReplicaSet by its owner reference, and a Service's pods through the lister.
 */
export function showLookups(informers: LookupInformers, terminal: Terminal): void {
  const { pods, replicaSets, services } = informers;
  const sample = pods.store
    .list()
    .filter((pod) => pod.spec?.hostNetwork !== true && pod.status?.podIP !== undefined)
    .sort((left, right) => keyOf(left).localeCompare(keyOf(right)))[0];
  if (sample === undefined) {
    terminal.line('lookup', 'no pod with its own IP in the cache: nothing to look up', 'yellow');
    return;
  }

  const key = keyOf(sample);
  const byKey = pods.store.getByKey(key);
  terminal.line(
    'by key',
    `store.getByKey('${key}') → pod IP ${byKey?.status?.podIP ?? '(none)'} on ${byKey?.spec?.nodeName ?? '?'}`,
  );

  const ip = sample.status?.podIP ?? '';
  const samePodIP = pods.store.byIndex('byIP', ip);
  terminal.line(
    'by IP',
    `store.byIndex('byIP', '${ip}') → ${plural(samePodIP.length, 'pod')}: ${names(samePodIP)}`,
  );

  // An IP several pods share: host-network pods all carry their node's IP.
  const shared = pods.store
    .listIndexValues('byIP')
    .map((value) => ({ value, pods: pods.store.byIndex('byIP', value) }))
    .filter((entry) => entry.pods.length > 1)
    .sort((left, right) => right.pods.length - left.pods.length || left.value.localeCompare(right.value))[0];
  if (shared === undefined) {
    terminal.line('by IP', 'no IP is shared by several pods here (no host-network pods)', 'yellow');
  } else {
    terminal.line(
      'by IP',
      `store.byIndex('byIP', '${shared.value}') → ${plural(shared.pods.length, 'pod')} on the host network: ${names(shared.pods)}`,
    );
  }

  const owner = sample.metadata?.ownerReferences?.find((reference) => reference.kind === 'ReplicaSet');
  const namespace = sample.metadata?.namespace ?? 'default';
  if (owner !== undefined) {
    const replicaSet = replicaSets.store.get(namespace, owner.name);
    terminal.line(
      'owner',
      `replicaSets.store.get('${namespace}', '${owner.name}') → ${replicaSet?.status?.readyReplicas ?? 0}/${replicaSet?.spec?.replicas ?? 0} replicas ready`,
    );
  }

  const service = services.lister
    .namespace(namespace)
    .list()
    .find((candidate) => selects(candidate.spec?.selector, sample.metadata?.labels));
  if (service?.spec?.selector !== undefined) {
    const selector = Object.entries(service.spec.selector)
      .map(([label, value]) => `${label}=${value}`)
      .join(',');
    const selected = pods.lister.namespace(namespace).list(selector);
    terminal.line(
      'lister',
      `pods.lister.namespace('${namespace}').list('${selector}') → ${plural(selected.length, 'pod')} behind service ${service.metadata?.name}`,
    );
  }
}

function selects(
  selector: DeepReadonly<Record<string, string>> | undefined,
  labels: DeepReadonly<Record<string, string>> | undefined,
): boolean {
  if (selector === undefined || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([label, value]) => labels?.[label] === value);
}

function keyOf(pod: DeepReadonly<Pod>): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

function names(pods: readonly DeepReadonly<Pod>[]): string {
  return pods.map(keyOf).sort().join(', ');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
