import { defineResource, type KubeObject } from '@kubeinformers/core';
import {
  defineInformer,
  InformerProvider,
  useIndexLookup,
  useInformerHealth,
  useInformerObjects,
} from '@kubeinformers/react';
import { browserTransport } from '@kubeinformers/web';

type Pod = KubeObject & { status?: { phase?: string; podIP?: string } };
const pods = defineInformer(
  defineResource<Pod>({ group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true }),
  {
    indexers: { byIP: (pod) => (pod.status?.podIP === undefined ? [] : [pod.status.podIP]) },
  },
);

function Pods({ namespace, ip }: { namespace: string; ip: string }) {
  const items = useInformerObjects(pods, { namespace }); // re-renders at most once a frame, only when these change
  const sameIP = useIndexLookup(pods, 'byIP', ip); // 'byIp' would not compile
  const { synced, phase } = useInformerHealth(pods); // phase: syncing, healthy or recovering
  if (!synced) return <p>syncing…</p>;
  return (
    <section className={phase}>
      <ul>
        {items.map((pod) => (
          <li key={pod.metadata?.name}>
            {pod.metadata?.name}: {pod.status?.phase}
          </li>
        ))}
      </ul>
      <p>
        {sameIP.length} pods have IP {ip}
      </p>
    </section>
  );
}

const transport = browserTransport({ baseUrl: '/k8s' }); // e.g. kubectl proxy behind the page's origin
export const App = () => (
  <InformerProvider transport={transport}>
    <Pods namespace="default" ip="10.0.0.11" />
  </InformerProvider>
);
