import { defineResource } from '@kubeinformers/core';
import {
  defineInformer,
  InformerProvider,
  useInformerHealth,
  useInformerObjects,
} from '@kubeinformers/react';
import { browserTransport } from '@kubeinformers/web';
import type { Pod } from '../kube-types.js';

const pods = defineInformer(
  defineResource<Pod>({ group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true }),
  {
    indexers: { byIP: (pod) => pod.status?.podIPs?.map((entry) => entry.ip) ?? [] },
  },
);

function Pods({ namespace }: { namespace: string }) {
  const items = useInformerObjects(pods, { namespace });
  const { synced, phase } = useInformerHealth(pods);
  if (!synced) return <p>loading…</p>;
  return (
    <ul data-phase={phase}>
      {items.map((pod) => (
        <li key={pod.metadata?.uid}>{pod.metadata?.name}</li>
      ))}
    </ul>
  );
}

const transport = browserTransport({ baseUrl: '/k8s' });
export const App = () => (
  <InformerProvider transport={transport}>
    <Pods namespace="default" />
  </InformerProvider>
);
