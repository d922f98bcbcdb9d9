import type { FinalizableObject, FinalizerClient, ResourceDescriptor, WriteGuard } from '@kubeinformers/core';
import { apiVersionOf, WriteConflictError } from '@kubeinformers/core';
import {
  ApiException,
  type Configuration,
  type KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { makeGuardedApiClient } from './guarded-api-client.js';

export interface FinalizerClientOptions {
  /**
   * Fences the finalizer patches: with the `LeaderElector` here, a leader that was replaced sends none
   * (`LeadershipLostError`, `KI_LEADERSHIP_LOST`), as `makeGuardedApiClient` describes. Reads pass.
   */
  readonly guard?: WriteGuard;
}

/**
 * The `FinalizerClient` that core's `finalizer()` writes through, over the official client's generic
 * `KubernetesObjectApi` (every authentication method of the `KubeConfig` works, custom resources too).
 * Finalizer writes are JSON merge patches of `metadata.finalizers` carrying the `resourceVersion` read,
 * so the API server refuses (409 → `WriteConflictError`) a write over a change it did not see. The
 * identity needs `get` and `patch` on the resource. Under leader election, pass the elector as `guard`.
 * @example
 * const client = createFinalizerClient(kubeConfig, configMaps, { guard: elector });
 * await finalizer(client, 'example.com/cleanup', configMap, { apply, cleanup });
 */
export function createFinalizerClient(
  kubeConfig: KubeConfig,
  resource: Pick<ResourceDescriptor, 'group' | 'version' | 'kind'>,
  options: FinalizerClientOptions = {},
): FinalizerClient {
  const api = objectApi(kubeConfig, options.guard);
  const reference = (object: FinalizableObject) => {
    const { name = '', namespace } = object.metadata ?? {};
    return {
      apiVersion: apiVersionOf(resource),
      kind: resource.kind,
      metadata: namespace === undefined ? { name } : { name, namespace },
    };
  };
  const describe = (object: FinalizableObject) => {
    const { name, namespace } = object.metadata ?? {};
    return `${resource.kind} ${namespace === undefined ? name : `${namespace}/${name}`}`;
  };
  return {
    async get(object) {
      try {
        return (await api.read(reference(object))) as FinalizableObject;
      } catch (error) {
        if (error instanceof ApiException && error.code === 404) return undefined;
        throw error;
      }
    },
    async setFinalizers(object, finalizers) {
      const target = reference(object);
      const patch = {
        ...target,
        metadata: {
          ...target.metadata,
          // The precondition: a merge patch naming a resourceVersion applies to that version only.
          ...(object.metadata?.resourceVersion === undefined
            ? {}
            : { resourceVersion: object.metadata.resourceVersion }),
          finalizers: [...finalizers],
        },
      };
      try {
        await api.patch(patch, undefined, undefined, undefined, undefined, PatchStrategy.MergePatch);
      } catch (error) {
        if (error instanceof ApiException && error.code === 409) {
          throw new WriteConflictError(describe(object), error);
        }
        if (error instanceof ApiException && error.code === 404) return; // gone: nothing to finalize
        throw error;
      }
    },
  };
}

/** `KubernetesObjectApi.makeApiClient`, with its writes through `guard` when there is one. */
function objectApi(kubeConfig: KubeConfig, guard: WriteGuard | undefined): KubernetesObjectApi {
  if (guard === undefined) return KubernetesObjectApi.makeApiClient(kubeConfig);
  // As makeApiClient does: the kubeconfig context's namespace stands in for an object without one.
  class ContextNamespacedObjectApi extends KubernetesObjectApi {
    constructor(configuration: Configuration) {
      super(configuration);
      this.setDefaultNamespace(kubeConfig);
    }
  }
  return makeGuardedApiClient(kubeConfig, ContextNamespacedObjectApi, guard);
}
