import { useCallback, useSyncExternalStore } from 'react';

/** What the user chose to look at, kept in the page's URL so a reload or a shared link shows the same. */
export interface ViewState {
  /** A namespace, `allNamespaces`, or undefined for the first one the cluster has. */
  readonly namespace: string | undefined;
  /** A label selector as typed (`app=web,tier!=cache`); empty for every pod. */
  readonly labels: string;
  /** The pod shown in the side panel, as its `namespace/name` key. */
  readonly pod: string | undefined;
}

/** Never a namespace's name: names are DNS labels, without `*`. */
export const allNamespaces = '*';

const parameters = { namespace: 'namespace', labels: 'labels', pod: 'pod' } as const;

function read(search: string): ViewState {
  const query = new URLSearchParams(search);
  return {
    namespace: query.get(parameters.namespace) ?? undefined,
    labels: query.get(parameters.labels) ?? '',
    pod: query.get(parameters.pod) ?? undefined,
  };
}

const listeners = new Set<() => void>();
let current = read(window.location.search);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onPopState = () => {
    current = read(window.location.search);
    listener();
  };
  window.addEventListener('popstate', onPopState);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', onPopState);
  };
}

/**
 * The view state and a setter that merges a change into it and into the URL (`replaceState`: typing a
 * selector must not fill the history). The connection parameters (`api`, `token`, `watch`) are kept.
 */
export function useViewState(): [ViewState, (change: Partial<ViewState>) => void] {
  const state = useSyncExternalStore(subscribe, () => current);
  const update = useCallback((change: Partial<ViewState>) => {
    current = { ...current, ...change };
    const query = new URLSearchParams(window.location.search);
    for (const name of Object.keys(parameters) as (keyof ViewState)[]) {
      const value = current[name];
      if (value === undefined || value === '') query.delete(parameters[name]);
      else query.set(parameters[name], value);
    }
    const search = query.toString();
    window.history.replaceState(null, '', search === '' ? window.location.pathname : `?${search}`);
    for (const listener of listeners) listener();
  }, []);
  return [state, update];
}
