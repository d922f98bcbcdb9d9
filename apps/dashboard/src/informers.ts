import { defineResource } from '@kubeinformers/core';
import { defineInformer } from '@kubeinformers/react';
import type { Node, Pod, StoredPod } from './kube-types.js';

const podResource = defineResource<Pod>({
  group: '',
  version: 'v1',
  resource: 'pods',
  kind: 'Pod',
  namespaced: true,
});
const nodeResource = defineResource<Node>({
  group: '',
  version: 'v1',
  resource: 'nodes',
  kind: 'Node',
  namespaced: false,
});

/** Every IP of a pod; a host-network pod's IP is its node's, so several pods share it. */
export function podIPs(pod: StoredPod): string[] {
  const ips = pod.status?.podIPs?.map((entry) => entry.ip) ?? [];
  if (ips.length === 0 && pod.status?.podIP !== undefined) ips.push(pod.status.podIP);
  return ips;
}

export const pods = defineInformer(podResource, {
  indexers: {
    byIP: (pod) => podIPs(pod),
    byNode: (pod) => (pod.spec?.nodeName === undefined ? [] : [pod.spec.nodeName]),
  },
});

export const nodes = defineInformer(nodeResource);
