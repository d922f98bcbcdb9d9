import { defineResource, type KubeObject } from '@kubeinformers/core';
import * as hooks from '@kubeinformers/react';
import { browserTransport } from '@kubeinformers/web';

type Pod = KubeObject & { status?: { phase?: string; podIP?: string } };
const podResource = defineResource<Pod>({
  group: '',
  version: 'v1',
  resource: 'pods',
  kind: 'Pod',
  namespaced: true,
});
const pods = hooks.defineInformer(podResource, {
  indexers: { byIP: (pod) => (pod.status?.podIP ? [pod.status.podIP] : []) },
});

function Pods({ namespace, ip }: { namespace: string; ip: string }) {
  const items = hooks.useInformerObjects(pods, { namespace }); // one render a frame at most, when these change
  const sameIP = hooks.useIndexLookup(pods, 'byIP', ip); // 'byIp' would not compile
  const { synced, phase } = hooks.useInformerHealth(pods); // phase: syncing, healthy or recovering
  if (!synced) return <p>syncing…</p>;
  const names = items.map((pod) => `${pod.metadata?.name} (${pod.status?.phase})`).join(', ');
  return <p className={phase}>{`${names}; ${sameIP.length} pods have IP ${ip}`}</p>;
}

const transport = browserTransport({ baseUrl: '/k8s' }); // kubectl proxy on the page's origin
export const App = () => (
  <hooks.InformerProvider transport={transport}>
    <Pods namespace="default" ip="10.0.0.11" />
  </hooks.InformerProvider>
);
