import { jsonEqual } from '../storage/json-values.js';
import type { ClusterAccess, Json } from './cluster-access.js';
import { keyOf } from './cluster-access.js';
import { mapSelectorMatches } from './label-selector.js';
import { controllerReference, hasFinished, isReady, isTerminating } from './pod-state.js';
import { ReconcileQueue } from './reconcile-queue.js';

const serviceNameLabel = 'kubernetes.io/service-name';
const managedByLabel = 'endpointslice.kubernetes.io/managed-by';
const managedBy = 'endpointslice-controller.k8s.io';

/**
 * The EndpointSlice controller: for every Service with a selector, one IPv4 EndpointSlice (named
 * `<service>-sim`, labelled `kubernetes.io/service-name`, owned by the Service) listing the selected pods
 * that have an IP, with `ready`/`serving`/`terminating` conditions, and the Service's ports resolved to
 * target ports (named ones through the pods' container ports). It follows pods as they become ready, go
 * away or change labels.
 */
export class EndpointSliceController {
  private readonly queue: ReconcileQueue;
  private readonly podsByNamespace = new Map<string, Set<string>>();
  private readonly servicesByNamespace = new Map<string, Set<string>>();

  constructor(private readonly access: ClusterAccess) {
    this.queue = new ReconcileQueue(
      access.clock,
      (key) => this.reconcile(key),
      (key, error) => access.reportError('EndpointSliceController', key, error),
    );
    for (const pod of access.all('pods')) this.index(this.podsByNamespace, pod, true);
    for (const service of access.all('services')) {
      this.index(this.servicesByNamespace, service, true);
      this.queue.add(keyOf(service));
    }
    access.onChange('services', ({ type, object, key }) => {
      this.index(this.servicesByNamespace, object, type !== 'DELETED');
      if (type !== 'DELETED') this.queue.add(key);
    });
    access.onChange('pods', ({ type, object, previous }) => {
      if (type !== 'MODIFIED') this.index(this.podsByNamespace, object, type === 'ADDED');
      for (const serviceKey of this.servicesByNamespace.get(object.metadata.namespace) ?? []) {
        const selector = this.access.get('services', serviceKey)?.spec?.selector;
        if (
          mapSelectorMatches(selector, object.metadata.labels) ||
          mapSelectorMatches(selector, previous?.metadata.labels)
        ) {
          this.queue.add(serviceKey);
        }
      }
    });
  }

  stop(): void {
    this.queue.stop();
  }

  private index(index: Map<string, Set<string>>, object: Json, present: boolean): void {
    const namespace = object.metadata.namespace;
    let keys = index.get(namespace);
    if (keys === undefined) {
      keys = new Set();
      index.set(namespace, keys);
    }
    if (present) keys.add(keyOf(object));
    else keys.delete(keyOf(object));
  }

  private reconcile(key: string): void {
    const service = this.access.get('services', key);
    if (service === undefined || isTerminating(service)) return;
    const selector = service.spec?.selector;
    const sliceKey = `${key}-sim`;
    const existing = this.access.get('endpointslices', sliceKey);
    if (selector === undefined || Object.keys(selector).length === 0) {
      if (existing !== undefined) this.access.delete('endpointslices', existing);
      return;
    }
    const pods: Json[] = [];
    for (const podKey of this.podsByNamespace.get(service.metadata.namespace) ?? []) {
      const pod = this.access.get('pods', podKey);
      if (pod?.status?.podIP && !hasFinished(pod) && mapSelectorMatches(selector, pod.metadata.labels))
        pods.push(pod);
    }
    pods.sort((left, right) => (left.metadata.name < right.metadata.name ? -1 : 1));
    const endpoints = pods.map((pod) => ({
      addresses: [pod.status.podIP],
      conditions: {
        ready: isReady(pod) && !isTerminating(pod),
        serving: isReady(pod),
        terminating: isTerminating(pod),
      },
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      targetRef: {
        kind: 'Pod',
        namespace: pod.metadata.namespace,
        name: pod.metadata.name,
        uid: pod.metadata.uid,
      },
    }));
    const ports = (service.spec?.ports ?? []).map((port: Json) => ({
      name: port.name ?? '',
      port: targetPort(port, pods),
      protocol: port.protocol ?? 'TCP',
    }));
    const slice = {
      metadata: {
        name: `${service.metadata.name}-sim`,
        namespace: service.metadata.namespace,
        labels: {
          ...service.metadata.labels,
          [serviceNameLabel]: service.metadata.name,
          [managedByLabel]: managedBy,
        },
        ownerReferences: [controllerReference(service, 'v1', 'Service')],
      },
      addressType: 'IPv4',
      endpoints,
      ports,
    };
    if (existing === undefined) this.access.create('endpointslices', slice);
    else if (!jsonEqual(existing.endpoints ?? [], endpoints) || !jsonEqual(existing.ports ?? [], ports)) {
      this.access.replace('endpointslices', { ...existing, endpoints, ports });
    }
  }
}

/** A Service port's target: a number, or a named container port looked up in the first pod that has it. */
function targetPort(port: Json, pods: readonly Json[]): number {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  for (const pod of pods) {
    for (const container of pod.spec?.containers ?? []) {
      const named = (container.ports ?? []).find((entry: Json) => entry.name === target);
      if (named !== undefined) return named.containerPort;
    }
  }
  return Number(target) || port.port;
}
