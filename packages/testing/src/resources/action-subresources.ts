import type { RequestVerb } from '../http/api-route.js';
import type { ApiResource } from './api-resource.js';

/** The subresources that act rather than store: `pods/eviction`, `pods/log`, `serviceaccounts/token`. */
export type ActionSubresource = 'eviction' | 'log' | 'token';

// Subresources other than status and scale, with the one verb each accepts (the API server's RESTs).
// Discovery lists them with the kind they accept, which kubectl drain checks before evicting.
export const actionSubresources: Readonly<
  Record<
    ActionSubresource,
    {
      readonly resource: string;
      readonly verb: RequestVerb;
      readonly kind: string;
      readonly group?: string;
      readonly version?: string;
    }
  >
> = {
  eviction: { resource: 'pods', verb: 'create', kind: 'Eviction', group: 'policy', version: 'v1' },
  log: { resource: 'pods', verb: 'get', kind: 'Pod' },
  token: {
    resource: 'serviceaccounts',
    verb: 'create',
    kind: 'TokenRequest',
    group: 'authentication.k8s.io',
    version: 'v1',
  },
};

/** The legacy discovery entries (`pods/eviction`…) of a core resource's action subresources. */
export function actionSubresourceDiscovery(resource: ApiResource): object[] {
  if (resource.group !== '') return [];
  return Object.entries(actionSubresources)
    .filter(([, action]) => action.resource === resource.resource)
    .map(([name, action]) => ({
      name: `${resource.resource}/${name}`,
      singularName: '',
      namespaced: resource.namespaced,
      ...(action.group === undefined ? {} : { group: action.group, version: action.version }),
      kind: action.kind,
      verbs: [action.verb],
    }));
}
