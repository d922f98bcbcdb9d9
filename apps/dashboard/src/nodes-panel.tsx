import { useInformerClient, useInformerHealth, useInformerObjects } from '@kubeinformers/react';
import { useMemo, useSyncExternalStore } from 'react';
import { nodes, pods } from './informers.js';
import type { StoredPod } from './kube-types.js';
import { PodsPerNode } from './pods-per-node.js';

const nodeOf = (pod: StoredPod) => pod.spec?.nodeName;

/** Nodes with their internal IP, readiness and pod count (kept from the pods informer's events). */
export function NodesPanel() {
  const items = useInformerObjects(nodes);
  // Holds the pods informer running while the panel shows its counts.
  useInformerHealth(pods);
  const informer = useInformerClient().source(pods).informer;
  const counter = useMemo(() => new PodsPerNode(informer, nodeOf), [informer]);
  const counts = useSyncExternalStore(counter.subscribe, counter.getSnapshot);
  return (
    <section>
      <h2>Nodes</h2>
      <table data-testid="nodes">
        <thead>
          <tr>
            <th>node</th>
            <th>internal IP</th>
            <th>ready</th>
            <th>pods</th>
          </tr>
        </thead>
        <tbody>
          {items.map((node) => {
            const name = node.metadata?.name ?? '';
            const ready = node.status?.conditions?.find((condition) => condition.type === 'Ready')?.status;
            return (
              <tr key={name} data-node={name}>
                <td>{name}</td>
                <td>{node.status?.addresses?.find((address) => address.type === 'InternalIP')?.address}</td>
                <td>{ready ?? 'Unknown'}</td>
                <td data-testid="node-pods">{counts.get(name) ?? 0}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
