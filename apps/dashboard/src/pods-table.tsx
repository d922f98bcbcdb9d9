import { type LabelSelector, parseLabelSelector } from '@kubeinformers/core';
import { useInformerHealth, useInformerObjects, useInformerSelector } from '@kubeinformers/react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { pods } from './informers.js';
import { age, labelPairs, podCount, readiness, restarts } from './pod-columns.js';
import { allNamespaces, useViewState } from './view-state.js';

const pageSize = 50;

/** The namespaces that hold pods, from the store's namespace index (no scan of the pods). */
function useNamespaces(): readonly string[] {
  const select = useCallback(
    (view: { readonly store: { listIndexValues(name: 'namespace'): string[] } }) =>
      view.store.listIndexValues('namespace').sort(),
    [],
  );
  return useInformerSelector(pods, select, (previous, next) => previous.join() === next.join());
}

/** The selector typed so far, parsed by core; a selector that does not parse filters nothing and says why. */
function useLabelSelector(text: string): { selector: LabelSelector | undefined; error: string | undefined } {
  return useMemo(() => {
    if (text.trim() === '') return { selector: undefined, error: undefined };
    try {
      return { selector: parseLabelSelector(text), error: undefined };
    } catch (error) {
      return { selector: undefined, error: error instanceof Error ? error.message : String(error) };
    }
  }, [text]);
}

/** Re-renders every `periodMs`, so ages move on while nothing else changes. */
function useNow(periodMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), periodMs);
    return () => clearInterval(timer);
  }, [periodMs]);
  return now;
}

/**
 * Pods of one namespace (or all) matching a label selector, with their live status, a page at a time:
 * a namespace may hold thousands, and a page keeps each render small whatever the event rate. The
 * choices live in the URL; a row opens the pod's detail.
 */
export function PodsTable() {
  const namespaces = useNamespaces();
  const [view, setView] = useViewState();
  const [page, setPage] = useState(0);
  const namespace = view.namespace ?? namespaces[0] ?? 'default';
  const all = namespace === allNamespaces;
  const { selector, error } = useLabelSelector(view.labels);
  const items = useInformerObjects(pods, { namespace: all ? undefined : namespace, labelSelector: selector });
  const { synced } = useInformerHealth(pods);
  const now = useNow(5_000);
  const pages = Math.max(1, Math.ceil(items.length / pageSize));
  const current = Math.min(page, pages - 1);
  const shown = items.slice(current * pageSize, (current + 1) * pageSize);
  return (
    <section>
      <h2>
        Pods in{' '}
        <select
          data-testid="namespace"
          value={namespace}
          onChange={(event) => {
            setView({ namespace: event.target.value });
            setPage(0);
          }}
        >
          <option value={allNamespaces}>all namespaces</option>
          {namespaces.map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>{' '}
        <span data-testid="pod-count">{synced ? podCount(items.length) : 'syncing…'}</span>
      </h2>
      <p className="filter">
        <input
          data-testid="label-selector"
          placeholder="label selector, e.g. app=web,tier!=cache"
          value={view.labels}
          aria-invalid={error !== undefined}
          onChange={(event) => {
            setView({ labels: event.target.value });
            setPage(0);
          }}
        />
        {error === undefined ? null : (
          <span className="selector-error" data-testid="selector-error">
            {error}
          </span>
        )}
      </p>
      <table data-testid="pods">
        <thead>
          <tr>
            {all ? <th>namespace</th> : null}
            <th>name</th>
            <th>phase</th>
            <th>ready</th>
            <th>restarts</th>
            <th>age</th>
            <th>IP</th>
            <th>node</th>
            <th>labels</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((pod) => {
            const key = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
            return (
              <tr
                key={pod.metadata?.uid ?? key}
                data-pod={pod.metadata?.name}
                className={view.pod === key ? 'chosen' : undefined}
                onClick={() => setView({ pod: key })}
              >
                {all ? <td>{pod.metadata?.namespace}</td> : null}
                <td>{pod.metadata?.name}</td>
                <td className={`phase-${pod.status?.phase ?? 'Unknown'}`}>
                  {pod.status?.phase ?? 'Unknown'}
                </td>
                <td>{readiness(pod)}</td>
                <td data-testid="restarts">{restarts(pod)}</td>
                <td>{age(pod, now)}</td>
                <td>{pod.status?.podIP}</td>
                <td>{pod.spec?.nodeName}</td>
                <td className="labels" data-testid="labels">
                  {labelPairs(pod).map((pair) => (
                    <span key={pair} className="label">
                      {pair}
                    </span>
                  ))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {pages > 1 ? (
        <p>
          <button type="button" disabled={current === 0} onClick={() => setPage(current - 1)}>
            previous
          </button>{' '}
          page {current + 1} of {pages}{' '}
          <button type="button" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
            next
          </button>
        </p>
      ) : null}
    </section>
  );
}
