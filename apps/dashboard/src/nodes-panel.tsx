import { useInformerObjects, useInformerSelector } from '@kubeinformers/react';
import { useCallback } from 'react';
import { nodes, pods } from './informers.js';

type Counts = ReadonlyMap<string, number>;

function sameCounts(previous: Counts, next: Counts): boolean {
  if (previous.size !== next.size) return false;
  for (const [node, count] of next) if (previous.get(node) !== count) return false;
  return true;
}

/** Nodes with their internal IP, readiness and pod count (from the pods' `byNode` index). */
export function NodesPanel() {
  const items = useInformerObjects(nodes);
  const select = useCallback(
    (view: {
      readonly store: {
        listIndexValues(name: 'byNode'): string[];
        indexKeys(name: 'byNode', value: string): string[];
      };
    }) =>
      new Map(
        view.store
          .listIndexValues('byNode')
          .map((node) => [node, view.store.indexKeys('byNode', node).length]),
      ),
    [],
  );
  const counts = useInformerSelector(pods, select, sameCounts);
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
