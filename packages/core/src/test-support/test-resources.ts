import type { KubeObject } from '../protocol/kube-object.js';
import { defineResource } from '../protocol/resource-descriptor.js';

/** Just enough of the built-in kinds for core tests (the adapter package has the full models). */
export interface TestPod extends KubeObject {
  metadata?: KubeObject['metadata'] & { managedFields?: unknown[] };
  spec?: { nodeName?: string; hostNetwork?: boolean; containers?: { name: string; image?: string }[] };
  status?: { phase?: string; podIP?: string; podIPs?: { ip: string }[] };
}

export interface TestReplicaSet extends KubeObject {
  spec?: { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
}

export interface TestService extends KubeObject {
  spec?: { clusterIP?: string; selector?: Record<string, string>; ports?: { port: number }[] };
}

export interface TestNode extends KubeObject {
  status?: { addresses?: { type: string; address: string }[] };
}

export const testPods = defineResource<TestPod>({
  group: '',
  version: 'v1',
  resource: 'pods',
  kind: 'Pod',
  namespaced: true,
});
export const testReplicaSets = defineResource<TestReplicaSet>({
  group: 'apps',
  version: 'v1',
  resource: 'replicasets',
  kind: 'ReplicaSet',
  namespaced: true,
});
export const testServices = defineResource<TestService>({
  group: '',
  version: 'v1',
  resource: 'services',
  kind: 'Service',
  namespaced: true,
});
export const testNodes = defineResource<TestNode>({
  group: '',
  version: 'v1',
  resource: 'nodes',
  kind: 'Node',
  namespaced: false,
});
