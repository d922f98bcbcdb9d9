import type { MemberLease, MemberLeaseClient, MemberLeaseRecord } from '@kubeinformers/core';
import {
  LeaseConflictError,
  memberClaimsAnnotation,
  memberLeaseOf,
  memberOfLabel,
} from '@kubeinformers/core';
import {
  ApiException,
  CoordinationV1Api,
  type KubeConfig,
  type V1Lease,
  V1MicroTime,
} from '@kubernetes/client-node';

export interface MemberLeaseClientOptions {
  /** Where the member leases live. */
  readonly namespace: string;
  /**
   * The value of the `sharding.kubeinformers.dev/member-of` label on every lease written: the name of the
   * sharded controller. Watch the members with the same label selector (`memberLeaseView`).
   */
  readonly memberOf: string;
}

/**
 * A `MemberLeaseClient` on `coordination.k8s.io/v1` Leases through the official client's
 * `CoordinationV1Api`, so every authentication method of the `KubeConfig` works. Writes are `PUT`s naming
 * the `resourceVersion` read, so the API server's optimistic concurrency decides races: a 409 becomes
 * `LeaseConflictError`. The identity needs `get`, `list`, `watch`, `create` and `update` on `leases` in
 * the namespace.
 * @see `createLeaseLock` for leader election's single lease
 */
export function createMemberLeaseClient(
  kubeConfig: KubeConfig,
  options: MemberLeaseClientOptions,
): MemberLeaseClient {
  const api = kubeConfig.makeApiClient(CoordinationV1Api);
  const { namespace, memberOf } = options;
  const description = `leases/${namespace}/`;
  const body = (name: string, record: MemberLeaseRecord, resourceVersion?: string): V1Lease => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name,
      namespace,
      labels: { [memberOfLabel]: memberOf },
      annotations: { [memberClaimsAnnotation]: record.claims },
      ...(resourceVersion === undefined ? {} : { resourceVersion }),
    },
    spec: {
      holderIdentity: record.holderIdentity,
      leaseDurationSeconds: record.leaseDurationSeconds,
      ...(record.renewTime === undefined ? {} : { renewTime: new V1MicroTime(record.renewTime) }),
    },
  });
  const read = (lease: V1Lease): MemberLease => {
    const member = memberLeaseOf(lease);
    if (member === undefined) throw new Error(`the API server answered a Lease without name or version`);
    return member;
  };
  const conflictsBecomeTyped =
    (name: string) =>
    (error: unknown): never => {
      if (error instanceof ApiException && error.code === 409) {
        throw new LeaseConflictError(`${description}${name}`, error);
      }
      throw error;
    };
  return {
    description,
    async get(name) {
      try {
        return read(await api.readNamespacedLease({ name, namespace }));
      } catch (error) {
        if (error instanceof ApiException && error.code === 404) return undefined;
        throw error;
      }
    },
    async create(name, record) {
      return read(
        await api
          .createNamespacedLease({ namespace, body: body(name, record) })
          .catch(conflictsBecomeTyped(name)),
      );
    },
    async update(name, record, version) {
      return read(
        await api
          .replaceNamespacedLease({ name, namespace, body: body(name, record, version) })
          .catch(conflictsBecomeTyped(name)),
      );
    },
  };
}
