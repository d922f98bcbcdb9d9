import { useInformerHealth, useInformerObjects, useInformerSelector } from '@kubeinformers/react';
import { useCallback, useState } from 'react';
import { pods } from './informers.js';
import type { StoredPod } from './kube-types.js';

const pageSize = 50;

function readiness(pod: StoredPod): string {
  const statuses = pod.status?.containerStatuses ?? [];
  return `${statuses.filter((status) => status.ready === true).length}/${statuses.length}`;
}

/** The namespaces that hold pods, from the store's namespace index (no scan of the pods). */
function useNamespaces(): readonly string[] {
  const select = useCallback(
    (view: { readonly store: { listIndexValues(name: 'namespace'): string[] } }) =>
      view.store.listIndexValues('namespace').sort(),
    [],
  );
  return useInformerSelector(pods, select, (previous, next) => previous.join() === next.join());
}

/**
 * Pods of one namespace with their live status, a page at a time: a namespace may hold thousands, and a
 * page keeps each render small whatever the event rate.
 */
export function PodsTable() {
  const namespaces = useNamespaces();
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const [page, setPage] = useState(0);
  const namespace = chosen ?? namespaces[0] ?? 'default';
  const items = useInformerObjects(pods, { namespace });
  const { synced } = useInformerHealth(pods);
  const pages = Math.max(1, Math.ceil(items.length / pageSize));
  const shown = items.slice(Math.min(page, pages - 1) * pageSize, (Math.min(page, pages - 1) + 1) * pageSize);
  return (
    <section>
      <h2>
        Pods in{' '}
        <select
          data-testid="namespace"
          value={namespace}
          onChange={(event) => {
            setChosen(event.target.value);
            setPage(0);
          }}
        >
          {namespaces.map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>{' '}
        <span data-testid="pod-count">{synced ? `${items.length} pods` : 'syncing…'}</span>
      </h2>
      <table data-testid="pods">
        <thead>
          <tr>
            <th>name</th>
            <th>phase</th>
            <th>ready</th>
            <th>IP</th>
            <th>node</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((pod) => (
            <tr key={pod.metadata?.uid ?? pod.metadata?.name} data-pod={pod.metadata?.name}>
              <td>{pod.metadata?.name}</td>
              <td className={`phase-${pod.status?.phase ?? 'Unknown'}`}>{pod.status?.phase ?? 'Unknown'}</td>
              <td>{readiness(pod)}</td>
              <td>{pod.status?.podIP}</td>
              <td>{pod.spec?.nodeName}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {pages > 1 ? (
        <p>
          <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
            previous
          </button>{' '}
          page {Math.min(page, pages - 1) + 1} of {pages}{' '}
          <button type="button" disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>
            next
          </button>
        </p>
      ) : null}
    </section>
  );
}
