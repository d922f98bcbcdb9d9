import type { LeaderElectionRecord, LeaseLock, LeaseState } from '@kubeinformers/core';
import { LeaseConflictError } from '@kubeinformers/core';
import {
  ApiException,
  CoordinationV1Api,
  type KubeConfig,
  type V1Lease,
  V1MicroTime,
  Watch,
} from '@kubernetes/client-node';

export interface LeaseLockOptions {
  readonly namespace: string;
  readonly name: string;
}

/**
 * A `LeaseLock` on a `coordination.k8s.io/v1` Lease, read and written with the official client's
 * `CoordinationV1Api` (so every authentication method of the `KubeConfig` works). Writes are `PUT`s naming
 * the `resourceVersion` read, so the API server's optimistic concurrency decides races: a 409 becomes
 * `LeaseConflictError`. The identity needs `get`, `create` and `update` on `leases` in the namespace.
 *
 * The official client takes no per-request signal: a call the elector gives up on is abandoned (the
 * elector's deadline, not the request, bounds how long it believes it leads).
 *
 * A waiting candidate also watches the Lease (`waitForHolderChange`), so it takes a released lease within
 * a round trip instead of at its next poll; without `watch` permission on `leases` it just polls.
 * @see client-go `resourcelock.LeaseLock`
 */
export function createLeaseLock(kubeConfig: KubeConfig, options: LeaseLockOptions): LeaseLock {
  const api = kubeConfig.makeApiClient(CoordinationV1Api);
  const { namespace, name } = options;
  const description = `leases/${namespace}/${name}`;
  const body = (record: LeaderElectionRecord, resourceVersion?: string): V1Lease => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace, ...(resourceVersion === undefined ? {} : { resourceVersion }) },
    spec: {
      holderIdentity: record.holderIdentity,
      leaseDurationSeconds: record.leaseDurationSeconds,
      leaseTransitions: record.leaderTransitions,
      ...(record.acquireTime === undefined ? {} : { acquireTime: new V1MicroTime(record.acquireTime) }),
      ...(record.renewTime === undefined ? {} : { renewTime: new V1MicroTime(record.renewTime) }),
    },
  });
  const conflictsBecomeTyped = (error: unknown): never => {
    if (error instanceof ApiException && error.code === 409) throw new LeaseConflictError(description, error);
    throw error;
  };
  return {
    description,
    async get() {
      try {
        return stateOf(await api.readNamespacedLease({ name, namespace }));
      } catch (error) {
        if (error instanceof ApiException && error.code === 404) return undefined;
        throw error;
      }
    },
    async create(record) {
      return stateOf(
        await api.createNamespacedLease({ namespace, body: body(record) }).catch(conflictsBecomeTyped),
      );
    },
    async update(record, version) {
      return stateOf(
        await api
          .replaceNamespacedLease({ name, namespace, body: body(record, version) })
          .catch(conflictsBecomeTyped),
      );
    },
    waitForHolderChange(observed, signal) {
      return holderChange(kubeConfig, { namespace, name }, observed, signal);
    },
  };
}

/** Watches the one Lease from the version observed until it names another holder. */
function holderChange(
  kubeConfig: KubeConfig,
  { namespace, name }: LeaseLockOptions,
  observed: LeaseState | undefined,
  signal: AbortSignal,
): Promise<void> {
  const holder = observed?.record.holderIdentity;
  return new Promise<void>((resolve, reject) => {
    let request: AbortController | undefined;
    const finish = (error?: unknown) => {
      signal.removeEventListener('abort', onAbort);
      request?.abort();
      if (error === undefined) resolve();
      else reject(error);
    };
    const onAbort = () => finish(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    new Watch(kubeConfig)
      .watch(
        `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases`,
        {
          fieldSelector: `metadata.name=${name}`,
          ...(observed === undefined ? {} : { resourceVersion: observed.version }),
        },
        (type: string, lease: V1Lease) => {
          // ERROR is a 410 for a version the server no longer has: the lease changed since, read it.
          if (type === 'DELETED' || type === 'ERROR') finish();
          else if (
            (type === 'ADDED' || type === 'MODIFIED') &&
            (lease.spec?.holderIdentity ?? '') !== holder
          ) {
            finish();
          }
        },
        (error: unknown) => finish(error ?? new Error('the lease watch ended without a change')),
      )
      .then(
        (controller) => {
          request = controller;
          if (signal.aborted) controller.abort();
        },
        (error: unknown) => finish(error),
      );
  });
}

function stateOf(lease: V1Lease): LeaseState {
  const spec = lease.spec ?? {};
  return {
    version: lease.metadata?.resourceVersion ?? '',
    record: {
      holderIdentity: spec.holderIdentity ?? '',
      leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
      leaderTransitions: spec.leaseTransitions ?? 0,
      ...(spec.acquireTime === undefined ? {} : { acquireTime: microTime(spec.acquireTime) }),
      ...(spec.renewTime === undefined ? {} : { renewTime: microTime(spec.renewTime) }),
    },
  };
}

/**
 * Written back the way the API spells MicroTime. The client's type says `Date`, but it hands over the
 * wire's string for `date-time-micro` fields; both are accepted.
 */
function microTime(value: Date | string): string {
  return new V1MicroTime(value).toISOString();
}
